/**
 * The real binary (`node dist/cli/main.js`) on the Comfy API v2 of a FakeComfyServer that wants an
 * API key (like Comfy Cloud): `--api v2` with the key from `COMFY_API_KEY`, then `--api auto`.
 * No sleeps: every wait is on process exit.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeComfyServer } from '../testing';
import { type SpawnedRun, spawnCliCaptured } from './__fixtures__/spawnCliCaptured';
import { ExitCode } from './exitCodes';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const KEY = 'cli-secret-key-42';

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<SpawnedRun> {
  const { COMFYUI_URL: _url, COMFY_API_KEY: _key, COMFY_API: _api, ...rest } = process.env;
  return spawnCliCaptured(MAIN, args, { cwd: workDir, env: { ...rest, ...env } });
}

let fake: FakeComfyServer;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` builds before jest)`);
  fake = await FakeComfyServer.start({ v2: { apiKey: KEY } });
  workDir = mkdtempSync(path.join(tmpdir(), 'comfyrx-v2cli-'));
  writeFileSync(
    path.join(workDir, 'wf.json'),
    JSON.stringify({ '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'cli' } } }),
  );
});
afterAll(async () => {
  await fake.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe('comfyui-rx on the Comfy API v2', () => {
  it('run --api v2 with COMFY_API_KEY: the job runs, its output is saved, the key appears nowhere in the output', async () => {
    const result = await cli(['run', 'wf.json', '--url', fake.url, '--api', 'v2', '--out', 'out', '--json', '--log-level', 'debug'], { COMFY_API_KEY: KEY });
    expect(result.code).toBe(ExitCode.ok);
    expect(readdirSync(path.join(workDir, 'out'))).toEqual(['cli_00001_.png']);
    expect(readFileSync(path.join(workDir, 'out', 'cli_00001_.png')).subarray(0, 4).toString('hex')).toBe('89504e47');
    expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
    expect(fake.v2.stats.jobs).toBe(1);
  });

  it('health --api auto finds the v2 surface; a wrong key is refused with exit 3', async () => {
    const up = await cli(['health', '--url', fake.url, '--api', 'auto', '--api-key', KEY]);
    expect([up.code, up.stdout.trim()]).toEqual([ExitCode.ok, `Comfy API v2 at ${fake.url}/ is up`]);
    const refused = await cli(['run', 'wf.json', '--url', fake.url, '--api', 'v2'], { COMFY_API_KEY: 'wrong' });
    expect(refused.code).toBe(ExitCode.unreachable);
    expect(refused.stderr).toMatch(/refused access \(401\).*API key/);
  });
});
