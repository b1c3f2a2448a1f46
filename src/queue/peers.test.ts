import path from 'node:path';
import { spawnTs } from './__fixtures__/processes';
import { ComfyMissingPeerError } from './errors';
import { requirePeers } from './requirePeers';

const HIDE = path.join(__dirname, '__fixtures__', 'hideModules.cjs');

describe('comfyui-rx/queue without its peers', () => {
  it('importing it in a process where bullmq cannot be resolved throws ComfyMissingPeerError saying what to install', async () => {
    const child = spawnTs('src/queue/__fixtures__/importQueue.ts', [], { ...process.env, HIDE_MODULES: 'bullmq', NODE_OPTIONS: `--require ${HIDE}` });
    const line = await child.waitLine(/^(loaded|\{)/);
    await child.exited;
    expect(JSON.parse(line)).toEqual({
      name: 'ComfyMissingPeerError',
      code: 'COMFYRX_MISSING_PEER',
      message: 'comfyui-rx/queue needs bullmq (optional peer dependency of comfyui-rx): npm install bullmq',
      packages: ['bullmq'],
    });
  });

  it('requirePeers names every package that does not resolve, and passes when all do', () => {
    const resolve = (id: string): string => {
      if (id === 'bullmq') return '/x/bullmq/index.js';
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => requirePeers(['bullmq'], resolve)).not.toThrow();
    const error = (() => {
      try {
        requirePeers(['bullmq', 'ioredis', 'other'], resolve);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ComfyMissingPeerError);
    expect(error).toMatchObject({ packages: ['ioredis', 'other'], message: expect.stringContaining('npm install ioredis other') });
  });
});
