import { NEVER, throwError } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyExecutionError } from '../src/errors';
import type { PromptEvent } from '../src/prompt/events';
import { type ProgressView, progressView } from '../src/progress/progressView';
import { newTestScheduler } from './helpers/testScheduler';

/** A 4-node workflow: 1 loader, 2 text, 3 sampler, 4 save. */
const workflow = {
  '1': { class_type: 'CheckpointLoaderSimple', inputs: {} },
  '2': { class_type: 'CLIPTextEncode', inputs: {} },
  '3': { class_type: 'KSampler', inputs: {} },
  '4': { class_type: 'SaveImage', inputs: {} },
};

/** Marble values: one letter per event. */
const ev: Record<string, PromptEvent> = {
  q: { type: 'queued', promptId: 'p1', number: 7, nodeErrors: {} },
  w: { type: 'waiting', ahead: 2 },
  s: { type: 'started', promptId: 'p1' },
  c: { type: 'cached', nodes: ['1', '2'] },
  x: { type: 'executing', node: '3', classType: 'KSampler' },
  p: { type: 'progress', node: '3', value: 3, max: 4, percent: 75 },
  y: { type: 'executing', node: '4', classType: 'SaveImage' },
  e: { type: 'executed', node: '4', output: { images: [] } },
  t: { type: 'stalled', silentMs: 30_000 },
  r: { type: 'reconnecting', attempt: 1, delayMs: 250 },
  k: { type: 'reconnected' },
  d: { type: 'done', promptId: 'p1', outputs: {}, elapsedMs: 1 },
};

/** A view with the defaults of a fresh 4-node prompt, overridden by `patch`. */
const view = (patch: Partial<ProgressView>): ProgressView => ({ state: 'submitting', nodesDone: 0, nodesTotal: 4, percent: 0, queue: {}, elapsedMs: 0, reconnects: 0, ...patch });

describe('progressView', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('runs the diagram of its JSDoc', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = cold<PromptEvent>(' q 9ms    x 9ms p 9ms d|', { ...ev, p: { type: 'progress', node: '3', value: 1, max: 2, percent: 50 } });
      const expected = '   (sq) 6ms  x 9ms p 9ms (D|)';
      const two = { nodesTotal: 2, promptId: 'p1' };
      const at3 = { ...two, state: 'running' as const, node: { id: '3', classType: 'KSampler' } };
      expectObservable(source.pipe(progressView({ totalNodes: 2, scheduler: ts }))).toBe(expected, {
        s: view({ nodesTotal: 2 }),
        q: view({ ...two, state: 'queued' }),
        x: view({ ...at3, elapsedMs: 10 }),
        p: view({ ...at3, nodePercent: 50, percent: 25, elapsedMs: 20 }),
        D: view({ ...two, state: 'done', nodesDone: 1, percent: 100, elapsedMs: 30 }),
      });
    });
  });

  it('follows queue, cached and running nodes to done at 100%, and unsubscribes from the source', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('  q 9ms w 9ms s 9ms c 9ms x 9ms p 9ms y 9ms e 9ms d|', ev);
      const sourceSubs = '   ^ 79ms                                         !';
      const expected = '    (aq) 6ms w 9ms s 9ms c 9ms x 9ms p 9ms y 9ms e 9ms (D|)';
      const running = { state: 'running' as const, promptId: 'p1' };
      expectObservable(source.pipe(progressView({ workflow, scheduler: ts }))).toBe(expected, {
        a: view({}),
        q: view({ state: 'queued', promptId: 'p1' }),
        w: view({ state: 'queued', promptId: 'p1', queue: { ahead: 2 }, elapsedMs: 10 }),
        s: view({ ...running, elapsedMs: 20 }),
        c: view({ ...running, nodesDone: 2, percent: 50, elapsedMs: 30 }),
        x: view({ ...running, nodesDone: 2, percent: 50, node: { id: '3', classType: 'KSampler' }, elapsedMs: 40 }),
        p: view({ ...running, nodesDone: 2, percent: 68.8, node: { id: '3', classType: 'KSampler' }, nodePercent: 75, elapsedMs: 50 }),
        y: view({ ...running, nodesDone: 3, percent: 75, node: { id: '4', classType: 'SaveImage' }, elapsedMs: 60 }),
        e: view({ ...running, nodesDone: 4, percent: 100, node: { id: '4', classType: 'SaveImage' }, elapsedMs: 70 }),
        D: view({ state: 'done', promptId: 'p1', nodesDone: 4, percent: 100, elapsedMs: 80 }),
      });
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it('ticks every tickMs while nothing happens, so elapsed time advances, and stops ticking at the end', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = cold('q 2500ms d|', ev);
      const queued = { state: 'queued' as const, promptId: 'p1' };
      expectObservable(source.pipe(progressView({ totalNodes: 4, scheduler: ts }))).toBe('(aq) 996ms t 999ms u 500ms (D|)', {
        a: view({}),
        q: view(queued),
        t: view({ ...queued, elapsedMs: 1000 }),
        u: view({ ...queued, elapsedMs: 2000 }),
        D: view({ state: 'done', promptId: 'p1', nodesDone: 0, percent: 100, elapsedMs: 2501 }),
      });
    });
  });

  it('shows a stall and a reconnect until the next sign of life, and counts reconnects', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = cold('x 9ms t 9ms r 9ms k 9ms p|', ev);
      const at3 = { state: 'running' as const, node: { id: '3', classType: 'KSampler' } };
      expectObservable(source.pipe(progressView({ workflow, tickMs: 0, scheduler: ts }))).toBe('(ax) 6ms t 9ms r 9ms k 9ms p|', {
        a: view({}),
        x: view(at3),
        t: view({ ...at3, stalledMs: 30_000, elapsedMs: 10 }),
        r: view({ ...at3, stalledMs: 30_000, reconnecting: { attempt: 1, delayMs: 250 }, elapsedMs: 20 }),
        k: view({ ...at3, stalledMs: 30_000, reconnects: 1, elapsedMs: 30 }),
        p: view({ ...at3, nodePercent: 75, percent: 18.8, reconnects: 1, elapsedMs: 40 }),
      });
    });
  });

  it('turns a source error into a final failed view carrying the error, then completes', () => {
    const error = new ComfyExecutionError('p1', '3', 'KSampler', 'out of memory', 'RuntimeError', []);
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('x 9ms #', ev, error);
      const at3 = { state: 'running' as const, node: { id: '3', classType: 'KSampler' } };
      expectObservable(source.pipe(progressView({ workflow, scheduler: ts }))).toBe('(ax) 6ms (F|)', {
        a: view({}),
        x: view(at3),
        F: view({ ...at3, state: 'failed', error, elapsedMs: 10 }),
      });
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
    });
    const views: ProgressView[] = [];
    throwError(() => error).pipe(progressView({ scheduler: ts })).subscribe((v) => views.push(v));
    expect(views.at(-1)?.error).toBe(error);
  });

  it('follows the server queue length from queueRemaining$ until the end', () => {
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = cold('q 19ms d|', ev);
      const remaining$ = hot('-- 5ms a 9ms b 9ms c', { a: 3, b: 2, c: 1 });
      const queued = { state: 'queued' as const, promptId: 'p1' };
      expectObservable(source.pipe(progressView({ totalNodes: 4, queueRemaining$: remaining$, scheduler: ts }))).toBe('(aq) 3ms r 9ms s 2ms (D|)', {
        a: view({}),
        q: view(queued),
        r: view({ ...queued, queue: { remaining: 3 }, elapsedMs: 7 }),
        s: view({ ...queued, queue: { remaining: 2 }, elapsedMs: 17 }),
        D: view({ state: 'done', promptId: 'p1', percent: 100, queue: { remaining: 2 }, elapsedMs: 20 }),
      });
      expectSubscriptions(remaining$.subscriptions).toBe('^ 19ms !');
    });
  });

  it('leaves the percent of the prompt out when the node count is unknown', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = cold('p 9ms d|', ev);
      const base = { nodesDone: 0, queue: {}, reconnects: 0 };
      expectObservable(source.pipe(progressView({ scheduler: ts }))).toBe('(ap) 6ms (D|)', {
        a: { ...base, state: 'submitting', elapsedMs: 0 },
        p: { ...base, state: 'running', node: { id: '3' }, nodePercent: 75, elapsedMs: 0 },
        D: { ...base, state: 'done', promptId: 'p1', nodesDone: 1, elapsedMs: 10 },
      });
    });
  });

  it('cancels its tick and the source when unsubscribed early', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('q', ev);
      expectObservable(source.pipe(progressView({ totalNodes: 4, scheduler: ts })), '^ 1500ms !').toBe('(aq) 996ms t', {
        a: view({}),
        q: view({ state: 'queued', promptId: 'p1' }),
        t: view({ state: 'queued', promptId: 'p1', elapsedMs: 1000 }),
      });
      expectSubscriptions(source.subscriptions).toBe('^ 1500ms !');
    });
    const subscription = NEVER.pipe(progressView({ scheduler: ts })).subscribe();
    expect(ts.actions.length).toBeGreaterThan(0);
    subscription.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects a negative tick and a bad node count at call time', () => {
    expect(() => progressView({ tickMs: -1 })).toThrow(RangeError);
    expect(() => progressView({ totalNodes: 0 })).toThrow(RangeError);
  });
});
