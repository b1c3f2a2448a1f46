import { defer, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyConnectionError, ComfyExecutionError, ComfyPromptLostError, ComfyPromptRejectedError } from '../src/errors';
import { ComfyNoServerError, ComfyPool, type PoolEvent } from '../src/pool';
import type { QueueResponse } from '../src/protocol/api';
import type { PromptEvent } from '../src/prompt/events';
import { erroredEntry, historyEntry, queueWith } from './helpers/messages';
import { newTestScheduler } from './helpers/testScheduler';
import { done, emptyQueue, fakeClient, imageWorkflow, objectInfo, queued } from './poolFakes';

const health = { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 3, jitter: 0 };
const tagged = (event: PromptEvent, server: string): PoolEvent => ({ ...event, server });
const dispatched = (server: string, attempt = 1, resubmittedAfter?: { server: string; error: Error }): PoolEvent =>
  resubmittedAfter ? { type: 'dispatched', server, attempt, resubmittedAfter } : { type: 'dispatched', server, attempt };
const lost = new ComfyPromptLostError('p1');
const dropped = new ComfyConnectionError('ComfyUI socket could not be re-established after 8 attempts', 'http://a/');
const refused = new ComfyConnectionError('fetch failed', 'http://a/');

/** Successive answers of a fake endpoint (the last one repeats). */
function answers<T>(...values: T[]) {
  let n = 0;
  return defer(() => of(values[Math.min(n++, values.length - 1)]!));
}

describe('ComfyPool failover', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  function twoServers(a: ReturnType<typeof fakeClient>, b: ReturnType<typeof fakeClient>, extra: { maxResubmits?: number; maxConcurrent?: number } = {}) {
    return new ComfyPool({
      servers: [
        { client: a.client, name: 'a', maxConcurrent: extra.maxConcurrent },
        { client: b.client, name: 'b', maxConcurrent: extra.maxConcurrent },
      ],
      health,
      recheckDelayMs: 5,
      maxResubmits: extra.maxResubmits,
      scheduler: ts,
    });
  }

  it('a lost prompt is resubmitted on another server, exactly once, with a second dispatched event', () => {
    let a!: ReturnType<typeof fakeClient>;
    let b!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const onA = cold('q 3ms #', { q: queued('p1') }, lost);
      const onB = cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') });
      a = fakeClient(ts, 'http://a/', { runs: [onA] });
      b = fakeClient(ts, 'http://b/', { runs: [onB] });
      const pool = twoServers(a, b);
      expectObservable(pool.run(imageWorkflow, { promptId: 'p1' })).toBe('(xq) (yr) - (d|)', {
        x: dispatched('a'),
        q: tagged(queued('p1'), 'a'),
        y: dispatched('b', 2, { server: 'a', error: lost }),
        r: tagged(queued('p1'), 'b'),
        d: tagged(done('p1'), 'b'),
      });
      expectSubscriptions(onA.subscriptions).toBe('^ 3ms !');
      expectSubscriptions(onB.subscriptions).toBe('- 3ms ^ 4ms !');
    });
    expect(a.calls.runs).toHaveLength(1);
    expect(b.calls.runs).toHaveLength(1);
    expect(b.calls.runs[0]!.options?.promptId).toBe('p1');
  });

  it('an execution error is the workflow\'s: not retried elsewhere, and the server stays in', () => {
    const failure = new ComfyExecutionError('p1', '2', 'FailAlways', 'boom', 'RuntimeError', []);
    let a!: ReturnType<typeof fakeClient>;
    let b!: ReturnType<typeof fakeClient>;
    const order: string[] = [];
    ts.run(({ cold, expectObservable }) => {
      a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, failure), cold('q 3ms (d|)', { q: queued('p2'), d: done('p2') })] });
      b = fakeClient(ts, 'http://b/');
      const pool = twoServers(a, b);
      expectObservable(pool.run(imageWorkflow)).toBe('(xq) #', { x: dispatched('a'), q: tagged(queued('p1'), 'a') }, failure);
      cold('- 9ms x').subscribe(() => pool.run(imageWorkflow).subscribe((event) => event.type === 'dispatched' && order.push(event.server)));
    });
    expect(b.calls.runs).toHaveLength(0);
    expect(a.calls.runs).toHaveLength(2);
    expect(order).toEqual(['a']);
    expect(a.calls.systemStats).toEqual([]);
  });

  it('a validation error is not retried either', () => {
    const rejected = new ComfyPromptRejectedError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', {});
    let b!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('#', undefined, rejected)] });
      b = fakeClient(ts, 'http://b/');
      expectObservable(twoServers(a, b).run(imageWorkflow)).toBe('(x#)', { x: dispatched('a') }, rejected);
    });
    expect(b.calls.runs).toHaveLength(0);
  });

  it('connection failure, but the prompt finished there: done comes from that server\'s history, it never runs again', () => {
    let b!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', {
        runs: [cold('q 3ms #', { q: queued('p1') }, dropped)],
        queue: of(emptyQueue),
        history: (id) => of(historyEntry(id)),
      });
      b = fakeClient(ts, 'http://b/');
      expectObservable(twoServers(a, b).run(imageWorkflow, { promptId: 'p1' })).toBe('(xq) (d|)', {
        x: dispatched('a'),
        q: tagged(queued('p1'), 'a'),
        d: { type: 'done', promptId: 'p1', outputs: historyEntry('p1').outputs, elapsedMs: 4, server: 'a' },
      });
    });
    expect(b.calls.runs).toHaveLength(0);
  });

  it('connection failure, and the history shows an execution error: that error, no resubmission', () => {
    let b!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, dropped)], history: (id) => of(erroredEntry(id)) });
      b = fakeClient(ts, 'http://b/');
      expectObservable(twoServers(a, b).run(imageWorkflow, { promptId: 'p1' })).toBe(
        '(xq) #',
        { x: dispatched('a'), q: tagged(queued('p1'), 'a') },
        new ComfyExecutionError('p1', '2', 'FailAlways', 'boom\n', 'RuntimeError', []),
      );
    });
    expect(b.calls.runs).toHaveLength(0);
  });

  it('connection failure and the server cannot be reached: resubmitted elsewhere', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', {
        runs: [cold('q 3ms #', { q: queued('p1') }, dropped)],
        queue: cold('#', undefined, new ComfyConnectionError('fetch failed', 'http://a/')),
      });
      const b = fakeClient(ts, 'http://b/', { runs: [cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') })] });
      expectObservable(twoServers(a, b).run(imageWorkflow, { promptId: 'p1' })).toBe('(xq) (yr) - (d|)', {
        x: dispatched('a'),
        q: tagged(queued('p1'), 'a'),
        y: dispatched('b', 2, { server: 'a', error: dropped }),
        r: tagged(queued('p1'), 'b'),
        d: tagged(done('p1'), 'b'),
      });
    });
  });

  it('connection failure while the prompt still waits in that server\'s queue: removed there first, then resubmitted', () => {
    let a!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      const stillPending: QueueResponse = queueWith(['other'], [[5, 'p1']]);
      a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, dropped)], queue: answers(stillPending, emptyQueue), systemStats: [cold('#', undefined, refused)] });
      const b = fakeClient(ts, 'http://b/', { runs: [cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') })] });
      // fails at 4; pending -> delete, wait 5 -> 9: nowhere; confirm 5 later -> 14: resubmitted
      expectObservable(twoServers(a, b).run(imageWorkflow, { promptId: 'p1' })).toBe('(xq) 10ms (yr) - (d|)', {
        x: dispatched('a'),
        q: tagged(queued('p1'), 'a'),
        y: dispatched('b', 2, { server: 'a', error: dropped }),
        r: tagged(queued('p1'), 'b'),
        d: tagged(done('p1'), 'b'),
      });
    });
    expect(a.calls.deleted).toEqual([['p1']]);
  });

  it('connection failure while it still runs there: interrupted there (targeted) before it is resubmitted', () => {
    let a!: ReturnType<typeof fakeClient>;
    let b!: ReturnType<typeof fakeClient>;
    ts.run(({ cold }) => {
      a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, dropped)], queue: answers(queueWith(['p1']), emptyQueue), systemStats: [cold('#', undefined, refused)] });
      b = fakeClient(ts, 'http://b/');
      twoServers(a, b).run(imageWorkflow, { promptId: 'p1' }).subscribe();
    });
    expect(a.calls.interrupted).toEqual(['p1']);
    expect(b.calls.runs.map((run) => run.frame)).toEqual([14]);
  });

  it('a failed server is taken out, probed with backoff (10, then 20 ms), and takes prompts again once a probe succeeds', () => {
    const order: Array<[number, string]> = [];
    let a!: ReturnType<typeof fakeClient>;
    ts.run(({ cold }) => {
      const long = cold('q 99ms (d|)', { q: queued('p'), d: done('p') });
      a = fakeClient(ts, 'http://a/', {
        runs: [cold('q 3ms #', { q: queued('p1') }, lost), long],
        systemStats: [cold('-#', undefined, new ComfyConnectionError('refused', 'http://a/')), cold('-(s|)', { s: { system: { os: 'posix' }, devices: [] } })],
      });
      const b = fakeClient(ts, 'http://b/', { runs: [long] });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        maxConcurrentPerServer: 5,
        health,
        scheduler: ts,
      });
      const track = (event: PoolEvent) => event.type === 'dispatched' && order.push([ts.now(), event.server]);
      pool.run(imageWorkflow).subscribe(track);
      for (const frame of [20, 40]) cold(`${frame}ms x`).subscribe(() => pool.run(imageWorkflow).subscribe(track));
    });
    // failed at 4 -> probe at 14 fails at 15 -> probe at 35 succeeds at 36 (object_info fetched again)
    expect(a.calls.systemStats).toEqual([14, 35]);
    expect(a.calls.objectInfo).toEqual([0, 36]);
    // the lost prompt went to b at 4; at 20 a is out (b takes it); at 40 a is back and the least loaded
    expect(order).toEqual([
      [0, 'a'],
      [4, 'b'],
      [20, 'b'],
      [40, 'a'],
    ]);
  });

  it('a resubmitted prompt goes before the prompts that arrived after it', () => {
    const order: string[] = [];
    ts.run(({ cold }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, lost)], systemStats: [cold('#', undefined, refused)] });
      const b = fakeClient(ts, 'http://b/', { runs: [cold('q 9ms (d|)', { q: queued('b'), d: done('b') })] });
      const pool = twoServers(a, b, { maxConcurrent: 1 });
      for (const id of ['p1', 'p2', 'p3']) pool.run(imageWorkflow, { promptId: id }).subscribe((event) => event.type === 'dispatched' && order.push(`${id}@${event.server}`));
    });
    // p1 on a, p2 on b, p3 waits; a loses p1 at 4 and stays out; when b frees at 10, p1 goes before p3
    expect(order).toEqual(['p1@a', 'p2@b', 'p1@b', 'p3@b']);
  });

  it('after maxResubmits resubmissions, the last server failure is final', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, lost)] });
      const lostOnB = new ComfyPromptLostError('p1');
      const b = fakeClient(ts, 'http://b/', { runs: [cold('q 3ms #', { q: queued('p1') }, lostOnB)] });
      expectObservable(twoServers(a, b, { maxResubmits: 1 }).run(imageWorkflow, { promptId: 'p1' })).toBe(
        '(xq) (yr) #',
        { x: dispatched('a'), q: tagged(queued('p1'), 'a'), y: dispatched('b', 2, { server: 'a', error: lost }), r: tagged(queued('p1'), 'b') },
        lostOnB,
      );
    });
  });

  it('when every server that could run it failed all its probes, a waiting prompt errors with ComfyNoServerError (nothing hangs)', () => {
    const errors: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms #', { q: queued('p1') }, lost)], systemStats: [cold('#', undefined, refused)] });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], health: { ...health, maxAttempts: 2 }, scheduler: ts });
      // lost at 4, probes at 14 and 34 fail: dead at 34
      const run$ = pool.run(imageWorkflow, { promptId: 'p1' });
      expectObservable(run$).toBe('(xq) 30ms #', { x: dispatched('a'), q: tagged(queued('p1'), 'a') }, new Error('No server of the pool can run this workflow: a is down'));
      run$.subscribe({ error: (err: unknown) => errors.push(err) });
    });
    expect(errors[0]).toBeInstanceOf(ComfyNoServerError);
  });

  it('a server that cannot be reached at first is probed until it answers, and prompts wait for it', () => {
    let a!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      a = fakeClient(ts, 'http://a/', {
        objectInfo: [cold('-#', undefined, new ComfyConnectionError('refused', 'http://a/')), cold('(i|)', { i: objectInfo('EmptyImage', 'SaveImage') })],
        runs: [cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') })],
      });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], health, scheduler: ts });
      // first check fails at 1 -> probe at 11 (system_stats, then object_info)
      expectObservable(pool.run(imageWorkflow)).toBe('11ms (xq) 1ms (d|)', { x: dispatched('a'), q: tagged(queued('p1'), 'a'), d: tagged(done('p1'), 'a') });
    });
    expect(a.calls.systemStats).toEqual([11]);
  });
});
