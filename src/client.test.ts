import { concatMap, filter, firstValueFrom, lastValueFrom, mergeMap, range, take, toArray } from 'rxjs';
import { ComfyClient } from './client';
import { ComfyConnectionError, ComfyExecutionError, ComfyInvalidPromptError, ComfyOptionsError, ComfyPromptRejectedError, ComfyValidationError } from './errors';
import type { DoneEvent, PromptEvent } from './prompt/events';
import { FakeComfyServer } from './testing';
import { failingImage, fileNames, slowImage, tinyImage } from './__fixtures__/workflows';

describe('ComfyClient against FakeComfyServer (real sockets)', () => {
  let fake: FakeComfyServer;
  beforeEach(async () => (fake = await FakeComfyServer.start()));
  afterEach(() => fake.stop());

  it('50 sequential prompts all complete with their own outputs on exactly one WebSocket connection', async () => {
    const comfy = new ComfyClient({ url: fake.url, lingerMs: 50 });
    const done = await lastValueFrom(
      range(0, 50).pipe(
        concatMap((i) => comfy.run(tinyImage(`seq${i}`, i)).pipe(filter((e): e is DoneEvent => e.type === 'done'))),
        toArray(),
      ),
    );
    expect(done.map((d) => fileNames(d.outputs))).toEqual(Array.from({ length: 50 }, (_, i) => [`seq${i}_00001_.png`]));
    expect(fake.stats.wsConnectionsTotal).toBe(1);
    expect(comfy.connectionCount).toBe(1);
  });

  it('50 concurrent prompts all complete with their own outputs on exactly one WebSocket connection', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const done = await lastValueFrom(
      range(0, 50).pipe(
        mergeMap((i) => comfy.run(tinyImage(`par${i}`, i)).pipe(filter((e): e is DoneEvent => e.type === 'done'))),
        toArray(),
      ),
    );
    const names = done.map((d) => fileNames(d.outputs)[0]).sort();
    expect(names).toEqual(Array.from({ length: 50 }, (_, i) => `par${i}_00001_.png`).sort());
    expect(new Set(done.map((d) => d.promptId)).size).toBe(50);
    expect(fake.stats.wsConnectionsTotal).toBe(1);
  });

  it('emits the lifecycle in order: queued, started, executing (with class_type), progress, executed, done', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const events = await lastValueFrom(comfy.run(slowImage('life', 3, 1)).pipe(toArray()));
    const types = events.map((e) => (e.type === 'executing' ? `executing:${e.classType}` : e.type));
    expect(types).toEqual([
      'queued',
      'started',
      'executing:EmptyImage',
      'executing:SlowProgress',
      'progress',
      'progress',
      'progress',
      'executing:SaveImage',
      'executed',
      'done',
    ]);
    const progress = events.filter((e): e is Extract<PromptEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.map((p) => p.percent)).toEqual([33.3, 66.7, 100]);
    const done = events.at(-1) as DoneEvent;
    expect(done.promptId).toBe((events[0] as Extract<PromptEvent, { type: 'queued' }>).promptId);
    expect(fileNames(done.outputs)).toEqual(['life_00001_.png']);
    expect(done.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('a prompt whose events arrive before the POST answer still completes, with `queued` first', async () => {
    const order: string[] = [];
    let socketSawSuccess: () => void = () => undefined;
    const sawSuccess = new Promise<void>((resolve) => (socketSawSuccess = resolve));
    // the server runs the prompt at once; its POST answer reaches the client only after the client's
    // socket has delivered the prompt's whole life, up to execution_success
    const lateAnswers: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/prompt')) await sawSuccess;
      return response;
    };
    const comfy = new ComfyClient({ url: fake.url, fetch: lateAnswers });
    const watcher = comfy.messages$.subscribe((m) => {
      if (m.type === 'execution_start' || m.type === 'execution_success') order.push(`socket:${m.type}`);
      if (m.type === 'execution_success') socketSawSuccess();
    });
    try {
      const events = await lastValueFrom(comfy.run(tinyImage('early')).pipe(toArray()));
      order.push(...events.map((e) => `run:${e.type}`));
    } finally {
      watcher.unsubscribe();
    }
    expect(order.indexOf('socket:execution_start')).toBeLessThan(order.indexOf('run:queued'));
    expect(order.indexOf('socket:execution_success')).toBeLessThan(order.indexOf('run:queued'));
    expect(order.filter((o) => o.startsWith('run:'))).toEqual(['run:queued', 'run:started', 'run:executing', 'run:executing', 'run:executed', 'run:done']);
  });

  it('a cached re-run completes with its outputs', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const first = await comfy.runAsync(tinyImage('cache', 7));
    const events = await lastValueFrom(comfy.run(tinyImage('cache', 7)).pipe(toArray()));
    expect(events.map((e) => e.type)).toEqual(['queued', 'started', 'cached', 'executed', 'done']);
    expect(events.find((e) => e.type === 'cached')).toEqual({ type: 'cached', nodes: ['1', '2'] });
    expect((events.at(-1) as DoneEvent).outputs).toEqual(first.outputs);
  });

  it('a validation error from the server surfaces as ComfyPromptRejectedError with node errors', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const bad = tinyImage('bad');
    (bad['1']!.inputs as Record<string, unknown>).width = 0;
    const error = (await comfy.runAsync(bad).catch((e: unknown) => e)) as ComfyValidationError;
    expect(error).toBeInstanceOf(ComfyPromptRejectedError);
    expect(error.errorType).toBe('prompt_outputs_failed_validation');
    expect(error.nodeErrors['1']!.errors[0]!.type).toBe('value_smaller_than_min');
    expect(error.message).toMatch(/node 1 \(EmptyImage\): Value 0 smaller than min of 1/);
  });

  it('an unknown node class is rejected as ComfyPromptRejectedError (invalid_prompt)', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const error = (await comfy.runAsync({ '1': { class_type: 'DoesNotExist', inputs: {} } }).catch((e: unknown) => e)) as ComfyValidationError;
    expect(error).toBeInstanceOf(ComfyPromptRejectedError);
    expect(error.errorType).toBe('invalid_prompt');
    expect(error.message).toBe('Cannot execute because node DoesNotExist does not exist.');
  });

  it('an execution error surfaces as ComfyExecutionError with node id, type, message and traceback', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const error = (await comfy.runAsync(failingImage('boom: on purpose')).catch((e: unknown) => e)) as ComfyExecutionError;
    expect(error).toBeInstanceOf(ComfyExecutionError);
    expect(error).toMatchObject({ nodeId: '2', nodeType: 'FailAlways', exceptionType: 'RuntimeError' });
    expect(error.exceptionMessage).toContain('boom: on purpose');
    expect(error.traceback.length).toBeGreaterThan(0);
  });

  it('an invalid workflow is rejected on the client before anything is posted', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const error = await comfy.runAsync({ '1': { class_type: '', inputs: {} } } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyInvalidPromptError);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect((error as ComfyValidationError).errorType).toBe('invalid_workflow');
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('closes the shared socket once the last subscriber has left (after the linger)', async () => {
    const comfy = new ComfyClient({ url: fake.url, lingerMs: 0 });
    const closed = fake.waitFor('ws-close');
    await comfy.runAsync(tinyImage('bye'));
    await closed;
    expect(fake.stats.wsOpen).toBe(0);
    expect(comfy.isConnected).toBe(false);
  });

  it('messages$ shares the same socket as run', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const statuses = firstValueFrom(comfy.queueRemaining$.pipe(take(3), toArray()));
    await comfy.runAsync(tinyImage('shared'));
    expect((await statuses).length).toBe(3);
    expect(fake.stats.wsConnectionsTotal).toBe(1);
  });

  it('runAsync: an AbortSignal cancels the prompt on the server', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const controller = new AbortController();
    const started = fake.waitFor('progress');
    const interrupted = fake.waitFor('interrupt');
    const result = comfy.runAsync(slowImage('abort', 50, 20), { signal: controller.signal }).catch((e: unknown) => e);
    await started;
    controller.abort(new Error('user pressed stop'));
    expect(await result).toEqual(new Error('user pressed stop'));
    expect((await interrupted).hit).toBe(true);
    const finished = await fake.waitFor('prompt-finished');
    expect(finished.status).toBe('interrupted');
  });

  it('rejects invalid options at construction with ComfyOptionsError naming them', () => {
    expect(() => new ComfyClient({ url: fake.url, stall: { warnAfterMs: -1 } })).toThrow(ComfyOptionsError);
    expect(() => new ComfyClient({ url: fake.url, stall: { warnAfterMs: -1 } })).toThrow(/stall\.warnAfterMs/);
    expect(() => new ComfyClient({ url: fake.url, reconnect: { jitter: 3 } })).toThrow(/reconnect\.jitter/);
    expect(() => new ComfyClient({ url: fake.url, bogus: 1 } as never)).toThrow(/bogus/);
    expect(() => new ComfyClient({ url: 'ftp://x' })).toThrow(ComfyOptionsError);
  });
});

describe('ComfyClient.close', () => {
  let fake: FakeComfyServer;
  beforeEach(async () => (fake = await FakeComfyServer.start()));
  afterEach(() => fake.stop());

  it('closes the socket at once, fails prompts in flight (cancelling them on the server) and later calls', async () => {
    const comfy = new ComfyClient({ url: fake.url, lingerMs: 60_000 });
    const running = comfy.runAsync(slowImage('closing', 50, 20)).catch((e: unknown) => e);
    const { promptId } = await fake.waitFor('prompt-started');
    const closed = fake.waitFor('ws-close');
    const interrupted = fake.waitFor('interrupt', (i) => i.promptId === promptId);
    comfy.close();
    const error = await running;
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toBe('The ComfyClient was closed');
    await closed;
    expect((await interrupted).hit).toBe(true);
    expect(await comfy.runAsync(tinyImage('after')).catch((e: unknown) => e)).toBeInstanceOf(ComfyConnectionError);
    expect(fake.stats.wsOpen).toBe(0);
  });
});
