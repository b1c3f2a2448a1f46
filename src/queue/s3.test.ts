/**
 * Outputs streamed into S3-compatible storage: s3rver in a process of its own behind the real AWS
 * SDK, a real Redis and FakeComfyServer. A 200 MB output within a memory bound, a missing bucket,
 * wrong credentials, and an upload that fails and is retried without losing anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Job, Queue } from 'bullmq';
import { filter, firstValueFrom } from 'rxjs';
import { tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from '../testing';
import { type LineProcess, spawnTs } from './__fixtures__/processes';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';
import { ComfyStorageError } from './delivery/errors';
import { parseS3Url } from './delivery/s3Options';
import { JobData } from './jobData';

jest.setTimeout(60_000);

const connection = { url: REDIS_URL };
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const BIG = 200 * 2 ** 20;
/**
 * What streaming 200 MiB may add to the uploading process: well under the file (it is never held
 * whole). Parts in flight are 2 x 5 MiB; the rest is the SDK's and the socket's buffers and garbage
 * the GC has not returned yet (measured: 78-90 MiB; 51 MiB with --max-semi-space-size=1).
 */
const RSS_BOUND = 128 * 2 ** 20;

describe('outputs to S3 (s3rver in its own process, real AWS SDK)', () => {
  let s3rver: LineProcess;
  let dir: string;
  let endpoint: string;
  let sdk: S3Client;
  let fake: FakeComfyServer;
  let client: ComfyClient;
  const queues: ComfyJobQueue[] = [];
  const workers: ComfyWorker[] = [];

  beforeAll(async () => {
    await requireRedis();
    dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-s3-'));
    s3rver = spawnTs('src/queue/__fixtures__/s3Server.ts', [dir, 'comfy', 'flaky']);
    const port = /^listening (\d+)$/.exec(await s3rver.waitLine(/^listening \d+$/))?.[1];
    endpoint = `http://127.0.0.1:${port}`;
    sdk = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...CREDENTIALS } });
    fake = await FakeComfyServer.start({ nodeLatencyMs: 1 });
    client = new ComfyClient({ url: fake.url, lingerMs: 0 });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    for (const queue of queues) {
      await queue.obliterate();
      await queue.close();
    }
    sdk?.destroy();
    client?.close();
    await fake?.stop();
    await s3rver?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const newQueue = (topic: string): ComfyJobQueue => {
    const queue = new ComfyJobQueue({ connection, name: uniqueQueueName(topic) });
    queues.push(queue);
    return queue;
  };
  const s3Worker = (name: string, s3: Record<string, unknown>): ComfyWorker => {
    const worker = new ComfyWorker({ connection, name, target: client, out: { s3: { bucket: 'comfy', endpoint, credentials: { ...CREDENTIALS }, ...s3 } } });
    workers.push(worker);
    return worker;
  };

  it("streams a job's outputs into the bucket under prefix/<jobId>/ and lists the objects, with presigned URLs, in its result", async () => {
    const queue = newQueue('s3');
    await s3Worker(queue.name, { prefix: 'runs', presignExpiresInS: 600 }).waitUntilReady();
    const { id } = await queue.add(tinyImage('s3-one', 71));
    const result = await queue.result(id);
    const [reference] = result.references;
    expect(result.objects).toEqual([expect.objectContaining({ bucket: 'comfy', key: `runs/${id}/${reference!.filename}`, location: `s3://comfy/runs/${id}/${reference!.filename}` })]);
    const stored = await sdk.send(new GetObjectCommand({ Bucket: 'comfy', Key: result.objects![0]!.key }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    const served = Buffer.from(await (await fetch(reference!.url)).arrayBuffer());
    expect(bytes.equals(served)).toBe(true);
    expect(result.objects![0]!.bytes).toBe(served.length);
    const presigned = result.objects![0]!.url as string;
    expect(presigned).toContain('X-Amz-Signature=');
    expect(Buffer.from(await (await fetch(presigned)).arrayBuffer()).equals(served)).toBe(true); // no credentials needed
  });

  it(`a 200 MB output lands in the bucket while the uploading process grows less than ${RSS_BOUND / 2 ** 20} MiB`, async () => {
    fake.addFile({ filename: 'big.bin', type: 'output' }, { sizeBytes: BIG });
    const uploader = spawnTs('src/queue/__fixtures__/s3Upload.ts', [fake.url, endpoint, 'comfy', 'big.bin']);
    const [, uploaded, growth] = /^uploaded (\d+) rss-growth (-?\d+)$/.exec(await uploader.waitLine(/^uploaded /)) ?? [];
    expect(await uploader.exited).toBe(0);
    expect(Number(uploaded)).toBe(BIG);
    const head = await sdk.send(new HeadObjectCommand({ Bucket: 'comfy', Key: 'big/job-big/big.bin' }));
    expect(head.ContentLength).toBe(BIG);
    expect(Number(growth)).toBeLessThan(RSS_BOUND);
  });

  it('a missing bucket and wrong credentials stop the worker at start with a typed error, no job taken, no secret in it', async () => {
    const queue = newQueue('s3-bad');
    await queue.add(tinyImage('s3-waits', 72));
    const missing = await s3Worker(queue.name, { bucket: 'no-such-bucket' }).waitUntilReady().catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ComfyStorageError);
    expect(missing).toMatchObject({ reason: 'no-such-bucket', bucket: 'no-such-bucket' });
    const secret = 'wrong-secret-0123456789';
    const refused = await s3Worker(queue.name, { credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: secret } }).waitUntilReady().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ComfyStorageError);
    expect(refused).toMatchObject({ reason: 'access-denied' });
    expect(JSON.stringify({ ...(refused as object), message: (refused as Error).message })).not.toContain(secret);
    expect(await queue.counts()).toMatchObject({ waiting: 1, active: 0 });
    expect(() => parseS3Url('https://comfy/prefix')).toThrow(ComfyOptionsError);
    expect(() => parseS3Url('s3://Not_A_Bucket/x')).toThrow(/bucket name/);
    expect(parseS3Url('s3://comfy/a/b/')).toEqual({ bucket: 'comfy', prefix: 'a/b' });
  });

  it('an upload that fails loses nothing: the job records the error and the /view references, waits, and completes once the bucket is back', async () => {
    const queue = newQueue('s3-flaky');
    await s3Worker(queue.name, { bucket: 'flaky', retry: { attempts: 5, backoffMs: 100 } }).waitUntilReady();
    await sdk.send(new DeleteBucketCommand({ Bucket: 'flaky' }));
    const { id } = await queue.add(tinyImage('s3-flaky', 73));
    const waited = firstValueFrom(queue.events$(id).pipe(filter((event) => event.type === 'delayed')));
    await waited;
    const raw = new Queue(queue.name, { connection });
    const data = JobData.parse((await Job.fromId(raw, id))?.data);
    await raw.close();
    expect(data.storage).toMatchObject({ attempts: 1, error: { name: 'ComfyStorageError', fields: { reason: 'no-such-bucket', bucket: 'flaky' } }, references: [expect.objectContaining({ url: expect.stringContaining('/view?filename=') })] });
    await sdk.send(new CreateBucketCommand({ Bucket: 'flaky' }));
    const result = await queue.result(id);
    expect(result.objects).toEqual([expect.objectContaining({ bucket: 'flaky' })]);
    expect(fake.stats.promptPosts.get(result.promptId)).toBe(1);
  });
});
