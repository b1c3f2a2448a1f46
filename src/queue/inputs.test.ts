/**
 * Input files in queue jobs, with a real Redis, a worker in a process of its own (`comfyui-rx
 * worker`) and a FakeComfyServer: jobs carry paths, URLs and small inline bytes, never large
 * bytes; the worker places them on its server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue } from 'bullmq';
import { PNG } from 'pngjs';
import { ComfyInputError } from '../inputs/errors';
import { inputFile } from '../inputs/inputFile';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { type LineProcess, startWorker } from './__fixtures__/processes';
import { ComfyJobQueue } from './ComfyJobQueue';
import { runCliCaptured } from '../cli/__fixtures__/runCliCaptured';

jest.setTimeout(60_000);

function png(rgba: readonly number[]): Buffer {
  const image = new PNG({ width: 3, height: 3 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set(rgba, i);
  return PNG.sync.write(image);
}

/** Three LoadImage -> ImageInvert -> SaveImage branches: one per input kind. */
const threeBranches = () => {
  const workflow: Record<string, unknown> = {};
  ['path', 'url', 'inline'].forEach((kind, i) => {
    const base = i * 10;
    workflow[`${base + 1}`] = { class_type: 'LoadImage', inputs: { image: 'placeholder.png' }, _meta: { title: `Load ${kind}` } };
    workflow[`${base + 2}`] = { class_type: 'ImageInvert', inputs: { image: [`${base + 1}`, 0] } };
    workflow[`${base + 3}`] = { class_type: 'SaveImage', inputs: { images: [`${base + 2}`, 0], filename_prefix: `job-${kind}` } };
  });
  return workflow;
};

describe('input files in queue jobs (real Redis, a worker in its own process)', () => {
  const connection = { url: REDIS_URL };
  let fake: FakeComfyServer;
  let queue: ComfyJobQueue;
  let worker: LineProcess | undefined;
  let dir: string;
  let files: Server;
  let filesUrl: string;
  const colours = { path: png([255, 0, 0, 255]), url: png([0, 255, 0, 255]), inline: png([0, 0, 255, 255]) };

  beforeAll(async () => {
    await requireRedis();
    fake = await FakeComfyServer.start();
    queue = new ComfyJobQueue({ connection, name: uniqueQueueName('inputs'), maxInlineInputBytes: 4096 });
    dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-queue-inputs-'));
    writeFileSync(join(dir, 'path.png'), colours.path);
    files = createServer((req, res) => (req.url === '/url.png' ? res.writeHead(200, { 'Content-Type': 'image/png' }).end(colours.url) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await worker?.kill('SIGTERM');
    await queue?.obliterate();
    await queue?.close();
    await fake?.stop();
    await new Promise((resolve) => files?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a job with a path, a URL and inline bytes completes on a worker in another process; Redis holds no large bytes', async () => {
    const { id } = await queue.add(threeBranches(), {
      inputs: { 'Load path.inputs.image': join(dir, 'path.png'), 'Load url.inputs.image': `${filesUrl}/url.png`, '21.inputs.image': colours.inline },
    });
    const raw = new Queue(queue.name, { connection });
    const stored = (await Job.fromId(raw, id))?.data as { inputs: Record<string, Record<string, unknown>> };
    await raw.close();
    expect(stored.inputs['Load path.inputs.image']).toEqual({ kind: 'path', path: join(dir, 'path.png') });
    expect(stored.inputs['Load url.inputs.image']).toEqual({ kind: 'url', url: `${filesUrl}/url.png` });
    expect(stored.inputs['21.inputs.image']).toEqual({ kind: 'inline', base64: colours.inline.toString('base64'), bytes: colours.inline.length });

    worker = await startWorker(REDIS_URL, queue.name, [fake.url]);
    const result = await queue.result(id);
    expect(Object.keys(result.inputs ?? {}).sort()).toEqual(['1.inputs.image', '11.inputs.image', '21.inputs.image']);
    const uploaded = new Map(fake.listFiles('input').map((file) => [file.path, file.bytes]));
    expect(uploaded.get(result.inputs?.['1.inputs.image'] as string)?.equals(colours.path)).toBe(true);
    expect(uploaded.get(result.inputs?.['11.inputs.image'] as string)?.equals(colours.url)).toBe(true);
    expect(uploaded.get(result.inputs?.['21.inputs.image'] as string)?.equals(colours.inline)).toBe(true);
    // each branch saved its own input, inverted: red -> cyan, green -> magenta, blue -> yellow
    const firstPixel = async (prefix: string) => {
      const ref = result.references.find((reference) => reference.filename.startsWith(prefix));
      const response = await fetch(`${fake.url}/view?filename=${ref?.filename}&type=output`);
      return [...PNG.sync.read(Buffer.from(await response.arrayBuffer())).data.subarray(0, 3)];
    };
    expect(await firstPixel('job-path')).toEqual([0, 255, 255]);
    expect(await firstPixel('job-url')).toEqual([255, 0, 255]);
    expect(await firstPixel('job-inline')).toEqual([255, 255, 0]);
  });

  it('an inputFile handle in the workflow travels as its source; a missing file fails the job typed, not retried', async () => {
    const workflow = threeBranches();
    for (const key of ['11', '21']) delete workflow[key], delete workflow[String(Number(key) + 1)], delete workflow[String(Number(key) + 2)];
    (workflow['1'] as { inputs: Record<string, unknown> }).inputs.image = inputFile(join(dir, 'gone.png'));
    const { id } = await queue.add(workflow, { attempts: 3 });
    worker ??= await startWorker(REDIS_URL, queue.name, [fake.url]);
    const error = await queue.result(id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyInputError);
    expect(error).toMatchObject({ reason: 'not-found', node: '1', input: 'image', source: join(dir, 'gone.png') });
    expect((await queue.lastFailures(5)).find((failure) => failure.id === id)).toMatchObject({ attemptsMade: 1 });
  });

  it('comfyui-rx enqueue --set "NODE.inputs.image=@FILE" carries the file as its path; --wait follows the job to its end', async () => {
    const file = join(dir, 'enqueue.json');
    const workflow = threeBranches();
    for (const key of ['11', '21']) delete workflow[key], delete workflow[String(Number(key) + 1)], delete workflow[String(Number(key) + 2)];
    writeFileSync(file, JSON.stringify(workflow));
    worker ??= await startWorker(REDIS_URL, queue.name, [fake.url]);
    const { code, stdout: out } = await runCliCaptured(['--plain', '--log-level', 'error', 'enqueue', file, '--redis', REDIS_URL, '--queue', queue.name, '--set', `Load path.inputs.image=@${join(dir, 'path.png')}`, '--wait']);
    expect(code).toBe(0);
    expect(out).toMatch(/job \S+ completed/);
  });

  it('refuses inline bytes over the limit with a clear error, adding nothing', async () => {
    const error = await queue.add(threeBranches(), { inputs: { '1.inputs.image': Buffer.alloc(5000) } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyInputError);
    expect(error).toMatchObject({ reason: 'inline-too-large' });
    expect((error as Error).message).toMatch(/over 4096 bytes, too large to carry inline in a job: give a path the workers can read, or an http\(s\) URL/);
  });
});
