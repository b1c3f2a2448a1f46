import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';

describe('a queue worker on the Comfy API v2 (real Redis, the fake as a keyed v2 endpoint)', () => {
  let fake: FakeComfyServer;
  let queue: ComfyJobQueue;
  let worker: ComfyWorker;
  let out: string;
  const connection = { url: REDIS_URL };

  beforeAll(async () => {
    await requireRedis();
    fake = await FakeComfyServer.start({ v2: { apiKey: 'worker-key' } });
    out = mkdtempSync(path.join(tmpdir(), 'comfyrx-v2queue-'));
    const name = uniqueQueueName('v2');
    queue = new ComfyJobQueue({ connection, name });
    worker = new ComfyWorker({ connection, name, target: new ComfyClient({ url: fake.url, api: 'v2', apiKey: 'worker-key' }), out: { dir: out } });
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate();
    await queue?.close();
    await fake?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('runs a job to its saved outputs; the references are the assets; the key is in no job data', async () => {
    const { id } = await queue.add(tinyImage('v2job', 2));
    const result = await queue.result(id);
    expect(result.files).toHaveLength(1);
    expect(readFileSync(result.files[0]?.path as string).subarray(1, 4).toString()).toBe('PNG');
    expect(result.references[0]?.url).toContain(`${fake.url}/api/v2/assets/`);
    expect(fake.v2.stats.jobs).toBe(1);
    expect(JSON.stringify(result)).not.toContain('worker-key');
  });

  it('refuses a job whose run options carry an API key (job data lives in Redis)', async () => {
    const error = await queue.add(tinyImage('keyed', 2), { run: { extraData: { api_key_comfy_org: 'leaky' } } }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect((error as Error).message).not.toContain('leaky');
  });
});
