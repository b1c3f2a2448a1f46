import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { failingImage, slowImage, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyExecutionError, ComfyValidationError } from '../errors';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';
import { ComfyJobCancelledError, ComfyJobNotFoundError } from './errors';
import type { JobEvent } from './jobEvent';

describe('ComfyJobQueue + ComfyWorker (real Redis, FakeComfyServer)', () => {
  let fake: FakeComfyServer;
  let client: ComfyClient;
  let queue: ComfyJobQueue;
  let worker: ComfyWorker;
  let out: string;
  const connection = { url: REDIS_URL };

  beforeAll(async () => {
    await requireRedis();
    fake = await FakeComfyServer.start();
    client = new ComfyClient({ url: fake.url, lingerMs: 0 });
    out = mkdtempSync(path.join(tmpdir(), 'comfyrx-queue-'));
    const name = uniqueQueueName('basic');
    queue = new ComfyJobQueue({ connection, name });
    worker = new ComfyWorker({ connection, name, target: client, concurrency: 2, out: { dir: out }, progressIntervalMs: 50 });
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate();
    await queue?.close();
    client?.close();
    await fake?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('runs a job: events$ shows its whole life (state first, active on the server, progress, completed) and result() has the saved files', async () => {
    const { id } = await queue.add(slowImage('life', 3, 5, 1));
    const events = await lastValueFrom(queue.events$(id).pipe(toArray()));
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('state');
    expect(types).toContain('active');
    expect(types).toContain('progress');
    expect(types[types.length - 1]).toBe('completed');
    const active = events.find((event): event is Extract<JobEvent, { type: 'active' }> => event.type === 'active');
    expect(active).toMatchObject({ server: client.url, reattached: false });
    const result = await queue.result(id);
    expect(fake.stats.promptExecutions.get(result.promptId)).toBe(1);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]?.path.startsWith(path.join(out, id) + path.sep)).toBe(true);
    expect(readFileSync(result.files[0]?.path as string).subarray(1, 4).toString()).toBe('PNG');
    expect(result.references[0]?.url).toContain('/view?filename=');
  });

  it('a late subscriber (after the end) gets the current state, then the final event, then completion', async () => {
    const { id } = await queue.add(tinyImage('late', 2));
    await queue.result(id);
    const events = await lastValueFrom(queue.events$(id).pipe(toArray()));
    expect(events.map((event) => event.type)).toEqual(['state', 'completed']);
    expect(events[0]).toMatchObject({ state: 'completed' });
  });

  it('an execution error is not retried: result() rejects with the ComfyExecutionError re-created with its fields', async () => {
    const { id } = await queue.add(failingImage('boom', 3), { attempts: 3 });
    const error = await queue.result(id).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ComfyExecutionError);
    expect(error).toMatchObject({ nodeId: '2', nodeType: 'FailAlways', code: 'COMFYRX_EXECUTION' });
    expect((await queue.lastFailures(5)).find((failure) => failure.id === id)).toMatchObject({ attemptsMade: 1, error: { name: 'ComfyExecutionError' } });
  });

  it('a validation error (unknown node type) is not retried', async () => {
    const { id } = await queue.add({ '1': { class_type: 'NoSuchNode', inputs: {} } }, { attempts: 3 });
    const events = await lastValueFrom(queue.events$(id).pipe(toArray()));
    const failed = events.filter((event) => event.type === 'failed');
    expect(failed).toEqual([expect.objectContaining({ willRetry: false, error: expect.objectContaining({ name: 'ComfyPromptRejectedError' }) })]);
    await expect(queue.result(id)).rejects.toBeInstanceOf(ComfyValidationError);
  });

  it('cancel() removes a waiting job and interrupts a running one on the server', async () => {
    const release = fake.holdQueue();
    const running = await queue.add(slowImage('cancel-run', 200, 20, 4));
    const started = fake.waitFor('prompt-queued');
    await started;
    const [waitingA, waitingB] = await queue.addBulk([{ workflow: tinyImage('w1', 5) }, { workflow: tinyImage('w2', 6) }]);
    release();
    await fake.waitFor('prompt-started');
    expect(await queue.cancel(running.id)).toBe('cancelling');
    const error = await queue.result(running.id).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ComfyJobCancelledError);
    // the other two run (concurrency 2 frees a slot); one of them can be removed if still waiting
    await Promise.all([queue.result(waitingA!.id), queue.result(waitingB!.id)]);
    const pending = await queue.add(tinyImage('w3', 7), { priority: 100 });
    const outcome = await queue.cancel(pending.id);
    expect(['removed', 'cancelling', 'finished']).toContain(outcome);
  });

  it('events$ of an unknown id errors with ComfyJobNotFoundError', async () => {
    await expect(lastValueFrom(queue.events$('no-such-job'))).rejects.toBeInstanceOf(ComfyJobNotFoundError);
  });
});
