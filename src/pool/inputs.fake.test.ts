import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { lastValueFrom, mergeMap, range, toArray } from 'rxjs';
import { inputFile } from '../inputs/inputFile';
import { FakeComfyServer } from '../testing';
import { ComfyPool, type PoolEvent, type PoolStrategyFn } from '.';

function png(rgba: readonly number[]): Buffer {
  const image = new PNG({ width: 4, height: 4 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set(rgba, i);
  return PNG.sync.write(image);
}

const invert = (image: unknown, prefix: string) => ({
  '1': { class_type: 'LoadImage', inputs: { image } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
});
const text = (prefix: string) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 4, height: 4, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
});

/** Places each prompt on the server its file-name prefix names (`a-...` on a): the test decides where things run. */
const byPrefix: PoolStrategyFn = (candidates, request) => {
  const prefix = String((request.workflow as Record<string, { inputs: Record<string, unknown> }>)['3']?.inputs.filename_prefix ?? (request.workflow as Record<string, { inputs: Record<string, unknown> }>)['2']?.inputs.filename_prefix);
  const wanted = request.attempt > 1 ? prefix.split('-')[1] : prefix.split('-')[0];
  return candidates.find((server) => server.name === wanted) ?? candidates[0]!;
};

describe('input files in a ComfyPool (three fakes, real sockets)', () => {
  let fakes: FakeComfyServer[];
  let pool: ComfyPool;
  let dir: string;
  let uploads: Map<string, string[]>;

  beforeEach(async () => {
    fakes = await Promise.all([FakeComfyServer.start(), FakeComfyServer.start(), FakeComfyServer.start()]);
    uploads = new Map();
    fakes.forEach((fake, i) => {
      const name = ['a', 'b', 'c'][i] as string;
      uploads.set(name, []);
      fake.events.on('http', ({ method, path }) => method === 'POST' && path.startsWith('/upload/') && uploads.get(name)?.push(path));
    });
    pool = new ComfyPool({
      servers: fakes.map((fake, i) => ({ url: fake.url, name: ['a', 'b', 'c'][i] })),
      strategy: byPrefix,
      maxConcurrentPerServer: 32, // the strategy always finds its server among the candidates
      clientOptions: { lingerMs: 0, stall: { warnAfterMs: 1_000 }, reconnect: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 10, jitter: 0 } },
      health: { initialDelayMs: 30, maxDelayMs: 200, maxAttempts: 10, jitter: 0 },
    });
    dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-pool-inputs-'));
  });
  afterEach(async () => {
    pool.close();
    await Promise.all(fakes.map((fake) => fake.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const inputNames = (fake: FakeComfyServer) => fake.listFiles('input').map((file) => file.path);

  it('uploads each input once to each server that ran prompts using it, and nowhere else', async () => {
    const p = join(dir, 'p.png');
    const q = join(dir, 'q.png');
    writeFileSync(p, png([255, 0, 0, 255]));
    writeFileSync(q, png([0, 0, 255, 255]));
    const pHandle = inputFile(p);
    // P runs on a and b (6 prompts each), Q on b only (6 prompts), c runs text-only prompts
    const jobs = [
      ...Array.from({ length: 6 }, (_, i) => invert(pHandle, `a-${i}`)),
      ...Array.from({ length: 6 }, (_, i) => invert(inputFile(p), `b-p${i}`)),
      ...Array.from({ length: 6 }, (_, i) => invert(inputFile(q), `b-q${i}`)),
      ...Array.from({ length: 4 }, (_, i) => text(`c-${i}`)),
    ];
    const runs = await lastValueFrom(range(0, jobs.length).pipe(mergeMap((i) => pool.run(jobs[i]!).pipe(toArray()), 8), toArray()));
    expect(runs.map((events) => events.at(-1)?.type)).toEqual(Array(jobs.length).fill('done'));
    const [a, b, c] = fakes as [FakeComfyServer, FakeComfyServer, FakeComfyServer];
    expect(uploads.get('a')).toEqual(['/upload/image']);
    expect(uploads.get('b')).toEqual(['/upload/image', '/upload/image']);
    expect(uploads.get('c')).toEqual([]);
    expect(inputNames(a)).toHaveLength(1);
    expect(inputNames(b)).toHaveLength(2);
    expect(inputNames(b)).toContain(inputNames(a)[0]);
    expect(inputNames(c)).toEqual([]);
  });

  it('uploads again on the server a failover moves the prompt to', async () => {
    const p = join(dir, 'p.png');
    writeFileSync(p, png([0, 255, 0, 255]));
    const [a, b] = fakes as [FakeComfyServer, FakeComfyServer];
    const release = a.holdQueue(); // the prompt waits on a, its file already there
    const queuedOnA = a.waitFor('prompt-queued');
    const events: PoolEvent[] = [];
    const done = lastValueFrom(pool.run(invert(inputFile(p), 'a-b')).pipe(toArray())).then((all) => events.push(...all));
    await queuedOnA;
    expect(inputNames(a)).toHaveLength(1);
    a.restart(); // a forgets the prompt: the pool resubmits it on b
    await done;
    release();
    const dispatched = events.filter((event) => event.type === 'dispatched').map((event) => (event as { server: string }).server);
    expect(dispatched).toEqual(['a', 'b']);
    expect(events.at(-1)).toMatchObject({ type: 'done', server: 'b' });
    expect(uploads.get('b')).toEqual(['/upload/image']);
    const queued = events.filter((event) => event.type === 'queued') as Array<{ inputs?: Record<string, string> }>;
    expect(queued.at(-1)?.inputs?.['1.inputs.image']).toBe(inputNames(b)[0]);
  });
});
