/**
 * Fault tests with real processes and a real Redis: a worker killed with SIGKILL mid-prompt, a
 * ComfyUI restart under a running job, a producer that exits with jobs waiting, and 2 producers x
 * 3 workers x 3 fakes running 300 jobs. The fakes count executions per prompt id.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { slowImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { type LineProcess, spawnTs, startWorker } from './__fixtures__/processes';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';
import type { JobEvent } from './jobEvent';

jest.setTimeout(60_000);

const connection = { url: REDIS_URL };
const LOCK_MS = '1500';

const executionsOf = (fakes: readonly FakeComfyServer[], promptId: string): number => fakes.reduce((sum, fake) => sum + (fake.stats.promptExecutions.get(promptId) ?? 0), 0);

describe('queue faults (real processes, real Redis)', () => {
  const fakes: FakeComfyServer[] = [];
  const processes: LineProcess[] = [];
  const queues: ComfyJobQueue[] = [];

  beforeAll(async () => {
    await requireRedis();
    for (let i = 0; i < 3; i++) fakes.push(await FakeComfyServer.start({ nodeLatencyMs: 2 }));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const queue of queues) {
      await queue.obliterate();
      await queue.close();
    }
    await Promise.all(fakes.map((fake) => fake.stop()));
  });
  const newQueue = (topic: string): ComfyJobQueue => {
    const queue = new ComfyJobQueue({ connection, name: uniqueQueueName(topic) });
    queues.push(queue);
    return queue;
  };

  it('a worker killed with SIGKILL mid-prompt: the job completes exactly once and the prompt executed exactly once', async () => {
    const fake = fakes[0] as FakeComfyServer;
    const queue = newQueue('sigkill');
    const first = await startWorker(REDIS_URL, queue.name, [fake.url], ['--lock-duration', LOCK_MS]);
    processes.push(first);
    const { id } = await queue.add(slowImage('sigkill', 40, 50, 11));
    const life = lastValueFrom(queue.events$(id).pipe(toArray()));
    const started = await fake.waitFor('prompt-started', undefined, 30_000);
    await first.kill('SIGKILL');
    const second = await startWorker(REDIS_URL, queue.name, [fake.url], ['--lock-duration', LOCK_MS]);
    processes.push(second);
    const result = await queue.result(id);
    const events = await life;
    expect(result.promptId).toBe(started.promptId);
    expect(result.reattached).toBe(true);
    expect(executionsOf(fakes, started.promptId)).toBe(1);
    expect(fake.stats.promptPosts.get(started.promptId)).toBe(1);
    expect(events.filter((event) => event.type === 'completed')).toHaveLength(1);
    expect(events.map((event) => event.type)).toContain('stalled');
    await second.waitLine(new RegExp(`job ${id} active on .*reattached`));
    await second.kill('SIGTERM');
  });

  it('a ComfyUI restart under a running job: the lost prompt is submitted again, the job completes once', async () => {
    const fake = fakes[1] as FakeComfyServer;
    const queue = newQueue('restart');
    const client = new ComfyClient({ url: fake.url, lingerMs: 0 });
    const worker = new ComfyWorker({ connection, name: queue.name, target: client, progressIntervalMs: 50 });
    try {
      const { id } = await queue.add(slowImage('restart', 20, 30, 12), { attempts: 3, backoff: 0 });
      const life = lastValueFrom(queue.events$(id).pipe(toArray()));
      const started = await fake.waitFor('prompt-started');
      fake.restart();
      const result = await queue.result(id);
      const events = await life;
      expect(result.promptId).not.toBe(started.promptId);
      expect(fake.stats.promptExecutions.get(result.promptId)).toBe(1);
      expect(events.filter((event) => event.type === 'failed')).toEqual([expect.objectContaining({ willRetry: true, error: expect.objectContaining({ name: 'ComfyPromptLostError' }) })]);
      expect(events.filter((event) => event.type === 'completed')).toHaveLength(1);
    } finally {
      await worker.close();
      client.close();
    }
  });

  it('a producer process that exits with its jobs waiting loses none', async () => {
    const queue = newQueue('producer-exit');
    const producer = spawnTs('src/queue/__fixtures__/producer.ts', [REDIS_URL, queue.name, 'gone', '20']);
    processes.push(producer);
    await producer.waitLine(/^added 20$/);
    expect(await producer.exited).toBe(0);
    expect((await queue.counts()).waiting).toBe(20);
    const worker = await startWorker(REDIS_URL, queue.name, [fakes[2]!.url]);
    processes.push(worker);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => queue.result(`gone-${i}`)));
    expect(new Set(results.map((result) => result.promptId)).size).toBe(20);
    await worker.kill('SIGTERM');
  });

  it('2 producers, 3 workers, 3 fakes, 300 jobs: each completes once, no prompt executes twice, events$ from another process shows a whole life', async () => {
    const queue = newQueue('fleet');
    const urls = fakes.map((fake) => fake.url);
    const workers = await Promise.all([0, 1, 2].map(() => startWorker(REDIS_URL, queue.name, urls, ['--lock-duration', '5000'])));
    processes.push(...workers);
    const completedIds: string[] = [];
    const producers = ['p1', 'p2'].map((prefix) => spawnTs('src/queue/__fixtures__/producer.ts', [REDIS_URL, queue.name, prefix, '150']));
    processes.push(...producers);
    await Promise.all(producers.map((p) => p.waitLine(/^added 150$/)));
    const ids = ['p1', 'p2'].flatMap((prefix) => Array.from({ length: 150 }, (_, i) => `${prefix}-${i}`));
    const watched = lastValueFrom(queue.events$('p2-149').pipe(toArray()));
    const results = await Promise.all(ids.map((id) => queue.result(id).then((result) => (completedIds.push(id), result))));
    expect(new Set(completedIds).size).toBe(300);
    const promptIds = results.map((result) => result.promptId);
    expect(new Set(promptIds).size).toBe(300);
    for (const promptId of promptIds) expect(executionsOf(fakes, promptId)).toBe(1);
    const life = (await watched).map((event: JobEvent) => event.type);
    expect(life[0]).toBe('state');
    expect(life).toEqual(expect.arrayContaining(['active', 'completed']));
    expect(life.filter((type) => type === 'completed')).toHaveLength(1);
    await Promise.all(workers.map((w) => w.kill('SIGTERM'))); // resolves once each one's output is read to the end
    const workerLines = workers.flatMap((w) => w.lines.filter((line) => / completed in /.test(line)));
    expect(workerLines).toHaveLength(300);
  });
});
