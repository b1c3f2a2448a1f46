import { ignoreElements, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyOptionsError } from '../src/errors';
import { ComfyNoServerError, ComfyPool, ComfyPoolClosedError, type PoolEvent, type PoolServerView } from '../src/pool';
import type { PromptEvent } from '../src/prompt/events';
import { newTestScheduler } from './helpers/testScheduler';
import { ALL_CLASSES, done, fakeClient, imageWorkflow, objectInfo, queued, samplerWorkflow } from './poolFakes';

const dispatched = (server: string, attempt = 1): PoolEvent => ({ type: 'dispatched', server, attempt });
const tagged = (event: PromptEvent, server: string): PoolEvent => ({ ...event, server });
const serverOf = (events: PoolEvent[]): string | undefined => events.find((event) => event.type === 'dispatched')?.server;

describe('ComfyPool placement', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits dispatched, then the server events tagged with its name, and completes after done', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms (d|)', { q: queued('p1'), d: done('p1') })] });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], scheduler: ts });
      expectObservable(pool.run(imageWorkflow, { promptId: 'p1' })).toBe('(xq) (d|)', {
        x: dispatched('a'),
        q: tagged(queued('p1'), 'a'),
        d: tagged(done('p1'), 'a'),
      });
    });
  });

  it('names a server by its URL when no name is given', () => {
    const a = fakeClient(ts, 'http://10.0.0.1:8188/');
    const pool = new ComfyPool({ servers: [{ client: a.client }], scheduler: ts });
    expect(pool.serverNames).toEqual(['http://10.0.0.1:8188/']);
  });

  it('least-loaded: counts the load each server reports and what the pool has in flight there', () => {
    const placed: Record<string, PoolEvent[]> = { r1: [], r2: [], r3: [], r4: [] };
    ts.run(({ cold, hot, expectObservable }) => {
      const busy = cold('q 50ms d|', { q: queued('p'), d: done('p') });
      // other clients' prompts: a has 5, b 1, c 2 (reported at frame 1)
      const a = fakeClient(ts, 'http://a/', { runs: [busy], queueRemaining$: hot('-x', { x: 5 }) });
      const b = fakeClient(ts, 'http://b/', { runs: [busy], queueRemaining$: hot('-x', { x: 1 }) });
      const c = fakeClient(ts, 'http://c/', { runs: [busy], queueRemaining$: hot('-x', { x: 2 }) });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
          { client: c.client, name: 'c' },
        ],
        scheduler: ts,
      });
      expectObservable(pool.hold()).toBe('');
      const at = (frame: number, key: string) => cold(`${frame}ms x|`).subscribe(() => pool.run(imageWorkflow).subscribe((event) => placed[key]!.push(event)));
      at(2, 'r1'); // loads a5 b1 c2 -> b
      at(3, 'r2'); // b = 1 in flight + max(0, 1 reported - 1 ours) = 1 -> b again (now full: 2 in flight)
      at(4, 'r3'); // a5 c2 -> c
      at(5, 'r4'); // c = 1 + max(0, 2 - 1) = 2 < a5 -> c
    });
    expect([serverOf(placed.r1!), serverOf(placed.r2!), serverOf(placed.r3!), serverOf(placed.r4!)]).toEqual(['b', 'b', 'c', 'c']);
  });

  it('least-loaded: a server that reports foreign work loses to an idle one; ties go to fewer in flight, then pool order', () => {
    const order: string[] = [];
    ts.run(({ cold, hot, expectObservable }) => {
      const long = cold('q 50ms d|', { q: queued('p'), d: done('p') });
      const a = fakeClient(ts, 'http://a/', { runs: [long] });
      const b = fakeClient(ts, 'http://b/', { runs: [long], queueRemaining$: hot('-x', { x: 1 }) });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        maxConcurrentPerServer: 3,
        scheduler: ts,
      });
      expectObservable(pool.hold()).toBe('');
      // frame 2: a=0, b=1 (foreign) -> a. frame 3: a=1 (ours), b=1: same load, b has fewer in flight -> b.
      // frame 4: a=1, b = 1 + max(0, 1 - 1) = 1, one in flight each -> a (pool order). frame 5: a=2, b=1 -> b.
      for (const frame of [2, 3, 4, 5]) cold(`${frame}ms x|`).subscribe(() => pool.run(imageWorkflow).subscribe((event) => event.type === 'dispatched' && order.push(event.server)));
    });
    expect(order).toEqual(['a', 'b', 'a', 'b']);
  });

  it('round-robin: servers take turns; one without a free slot loses its turn', () => {
    const order: string[] = [];
    ts.run(({ cold }) => {
      const long = cold('q 50ms d|', { q: queued('p'), d: done('p') });
      const [a, b, c] = ['a', 'b', 'c'].map((name) => fakeClient(ts, `http://${name}/`, { runs: [long] }));
      const pool = new ComfyPool({
        servers: [
          { client: a!.client, name: 'a', maxConcurrent: 2 },
          { client: b!.client, name: 'b', maxConcurrent: 1 },
          { client: c!.client, name: 'c', maxConcurrent: 2 },
        ],
        strategy: 'round-robin',
        scheduler: ts,
      });
      for (let i = 0; i < 5; i++) pool.run(imageWorkflow).subscribe((event) => event.type === 'dispatched' && order.push(event.server));
    });
    // a b c a (b is full) c
    expect(order).toEqual(['a', 'b', 'c', 'a', 'c']);
  });

  it("a caller's function chooses among the servers that can take the prompt, by name or view", () => {
    const seen: string[][] = [];
    const order: string[] = [];
    ts.run(({ cold }) => {
      const long = cold('q 50ms d|', { q: queued('p'), d: done('p') });
      const a = fakeClient(ts, 'http://a/', { runs: [long] });
      const b = fakeClient(ts, 'http://b/', { runs: [long] });
      const lastFirst = (candidates: readonly PoolServerView[]) => {
        seen.push(candidates.map((candidate) => `${candidate.name}:${candidate.inFlight}`));
        return candidates[candidates.length - 1]!.name;
      };
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b', maxConcurrent: 1 },
        ],
        strategy: lastFirst,
        scheduler: ts,
      });
      for (let i = 0; i < 3; i++) pool.run(imageWorkflow).subscribe((event) => event.type === 'dispatched' && order.push(event.server));
    });
    expect(order).toEqual(['b', 'a', 'a']);
    expect(seen).toEqual([['a:0', 'b:0'], ['a:0'], ['a:1']]);
  });

  it('a function that picks no candidate fails that prompt with ComfyOptionsError', () => {
    ts.run(({ expectObservable }) => {
      const a = fakeClient(ts, 'http://a/');
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], strategy: () => 'nope', scheduler: ts });
      expectObservable(pool.run(imageWorkflow)).toBe('#', undefined, new ComfyOptionsError("The pool strategy chose 'nope', which is not one of the candidates (a)"));
    });
  });

  it('per-server limit: prompts beyond every limit wait in the pool and go, oldest first, as slots free up', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const runs = [1, 2, 3].map((n) => cold(`q ${n * 10 - 1}ms (d|)`, { q: queued(`p${n}`), d: done(`p${n}`) }));
      const a = fakeClient(ts, 'http://a/', { runs });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a', maxConcurrent: 1 }], scheduler: ts });
      const ev = (n: number) => ({ x: dispatched('a'), q: tagged(queued(`p${n}`), 'a'), d: tagged(done(`p${n}`), 'a') });
      // r1 runs 0-10; r2 (subscribed at 1) waits until 10, runs 20 frames; r3 (at 2) waits until 30
      expectObservable(pool.run(imageWorkflow), '^').toBe('(xq) 6ms (d|)', ev(1));
      expectObservable(pool.run(imageWorkflow), '-^').toBe('- 9ms (xq) 16ms (d|)', ev(2));
      expectObservable(pool.run(imageWorkflow), '--^').toBe('-- 28ms (xq) 26ms (d|)', ev(3));
      expectSubscriptions(runs[0]!.subscriptions).toBe('^ 9ms !');
      expectSubscriptions(runs[1]!.subscriptions).toBe('- 9ms ^ 19ms !');
      expectSubscriptions(runs[2]!.subscriptions).toBe('- 29ms ^ 29ms !');
    });
  });

  it('a waiting prompt unsubscribed before its turn never reaches a server', () => {
    let a!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, expectObservable }) => {
      const runs = [cold('q 9ms (d|)', { q: queued('p1'), d: done('p1') }), cold('q 9ms (d|)', { q: queued('p3'), d: done('p3') })];
      a = fakeClient(ts, 'http://a/', { runs });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a', maxConcurrent: 1 }], scheduler: ts });
      expectObservable(pool.run(imageWorkflow), '^').toBe('(xq) 6ms (d|)', { x: dispatched('a'), q: tagged(queued('p1'), 'a'), d: tagged(done('p1'), 'a') });
      expectObservable(pool.run(imageWorkflow), '^ 4ms !').toBe('');
      expectObservable(pool.run(imageWorkflow), '^').toBe('- 9ms (xq) 6ms (d|)', { x: dispatched('a'), q: tagged(queued('p3'), 'a'), d: tagged(done('p3'), 'a') });
    });
    expect(a.calls.runs.map((run) => run.frame)).toEqual([0, 10]);
  });

  it('unsubscribing a running prompt unsubscribes its server run (which cancels it there) and frees the slot', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('q 99ms (d|)', { q: queued('p1'), d: done('p1') });
      const second = cold('q 9ms (d|)', { q: queued('p2'), d: done('p2') });
      const a = fakeClient(ts, 'http://a/', { runs: [first, second] });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a', maxConcurrent: 1 }], scheduler: ts });
      expectObservable(pool.run(imageWorkflow), '^ 4ms !').toBe('(xq)', { x: dispatched('a'), q: tagged(queued('p1'), 'a') });
      expectObservable(pool.run(imageWorkflow), '-^').toBe('- 4ms (xq) 6ms (d|)', { x: dispatched('a'), q: tagged(queued('p2'), 'a'), d: tagged(done('p2'), 'a') });
      expectSubscriptions(first.subscriptions).toBe('^ 4ms !');
      expectSubscriptions(second.subscriptions).toBe('- 4ms ^ 9ms !');
    });
  });

  it('object_info: a workflow goes only to servers with all its node classes, even a busier one', () => {
    const order: string[] = [];
    let a!: ReturnType<typeof fakeClient>;
    ts.run(({ cold, hot, expectObservable }) => {
      const long = cold('q 50ms d|', { q: queued('p'), d: done('p') });
      a = fakeClient(ts, 'http://a/', { runs: [long], objectInfo: cold('(i|)', { i: objectInfo('EmptyImage', 'SaveImage') }) });
      const b = fakeClient(ts, 'http://b/', { runs: [long], objectInfo: cold('(i|)', { i: objectInfo(...ALL_CLASSES) }), queueRemaining$: hot('-x', { x: 9 }) });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        scheduler: ts,
      });
      expectObservable(pool.hold()).toBe('');
      cold('--x').subscribe(() => {
        for (const workflow of [samplerWorkflow, imageWorkflow, samplerWorkflow]) {
          pool.run(workflow).subscribe((event) => event.type === 'dispatched' && order.push(event.server));
        }
      });
    });
    expect(order).toEqual(['b', 'a', 'b']);
    expect(a.calls.runs.map((run) => run.workflow)).toEqual([imageWorkflow]);
  });

  it('object_info is fetched once per server however many prompts run', () => {
    const a = fakeClient(ts, 'http://a/');
    ts.run(() => {
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], scheduler: ts });
      const sub = pool.connect();
      for (let i = 0; i < 4; i++) pool.run(imageWorkflow, { promptId: `p${i}` }).subscribe();
      sub.unsubscribe();
      for (let i = 0; i < 2; i++) pool.run(imageWorkflow, { promptId: `q${i}` }).subscribe();
    });
    expect(a.calls.objectInfo).toEqual([0]);
    expect(a.calls.runs).toHaveLength(6);
  });

  it('a prompt waits while the only server able to run it is still being checked', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: cold('(i|)', { i: objectInfo('EmptyImage', 'SaveImage') }) });
      const b = fakeClient(ts, 'http://b/', {
        objectInfo: cold('----(i|)', { i: objectInfo('KSampler', 'SaveImage') }),
        runs: [cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') })],
      });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        scheduler: ts,
      });
      expectObservable(pool.run(samplerWorkflow)).toBe('4ms (xq) 1ms (d|)', { x: dispatched('b'), q: tagged(queued('p1'), 'b'), d: tagged(done('p1'), 'b') });
    });
  });

  it('no server has the node classes: ComfyNoServerError says what each one lacks', () => {
    const errors: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: cold('(i|)', { i: objectInfo('EmptyImage', 'SaveImage') }) });
      const b = fakeClient(ts, 'http://b/', { objectInfo: cold('--(i|)', { i: objectInfo('SaveImage') }) });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        scheduler: ts,
      });
      const run$ = pool.run(samplerWorkflow);
      expectObservable(run$).toBe('--#', undefined, new Error('No server of the pool can run this workflow: a lacks KSampler; b lacks KSampler'));
      run$.subscribe({ error: (err: unknown) => errors.push(err) });
    });
    expect(errors[0]).toBeInstanceOf(ComfyNoServerError);
    expect((errors[0] as ComfyNoServerError).refusals).toEqual([
      { server: 'a', missingClassTypes: ['KSampler'], down: false },
      { server: 'b', missingClassTypes: ['KSampler'], down: false },
    ]);
    expect((errors[0] as ComfyNoServerError).code).toBe('COMFYRX_NO_SERVER');
  });

  it('once the classes are known, a workflow no server can run fails at once, even with every slot taken', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: cold('(i|)', { i: objectInfo('EmptyImage', 'SaveImage') }), runs: [cold('q 50ms (d|)', { q: queued('p'), d: done('p') })] });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a', maxConcurrent: 1 }], scheduler: ts });
      expectObservable(pool.run(imageWorkflow).pipe(ignoreElements())).toBe('51ms |'); // a has no free slot meanwhile
      expectObservable(pool.run(samplerWorkflow), '---^').toBe('---#', undefined, new Error('No server of the pool can run this workflow: a lacks KSampler'));
    });
  });

  it('a waiting prompt that only a busy server can run does not hold back the prompts behind it', () => {
    const order: Array<[number, string, string]> = [];
    ts.run(({ cold }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: of(objectInfo('EmptyImage', 'SaveImage')), runs: [cold('q 9ms (d|)', { q: queued('p'), d: done('p') })] });
      const b = fakeClient(ts, 'http://b/', { runs: [cold('q 9ms (d|)', { q: queued('p'), d: done('p') })] });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a', maxConcurrent: 1 },
          { client: b.client, name: 'b', maxConcurrent: 1 },
        ],
        scheduler: ts,
      });
      const track = (label: string) => (event: PoolEvent) => event.type === 'dispatched' && order.push([ts.now(), label, event.server]);
      pool.run(samplerWorkflow).subscribe(track('k1')); // b, busy until 10
      pool.run(samplerWorkflow).subscribe(track('k2')); // waits for b
      pool.run(imageWorkflow).subscribe(track('i3')); // a is free: goes now, ahead of k2
      pool.run(imageWorkflow).subscribe(track('i4')); // waits: a and b busy; b frees at 10 for k2 (older), a at 10 for i4
    });
    expect(order).toEqual([
      [0, 'k1', 'b'],
      [0, 'i3', 'a'],
      [10, 'k2', 'b'],
      [10, 'i4', 'a'],
    ]);
  });

  it('close(): prompts waiting or running error with ComfyPoolClosedError, their runs are unsubscribed, later runs fail', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const long = cold('q 99ms (d|)', { q: queued('p1'), d: done('p1') });
      const a = fakeClient(ts, 'http://a/', { runs: [long] });
      const status = cold('-x', { x: 0 });
      const pool = new ComfyPool({ servers: [{ client: { ...a.client, queueRemaining$: status }, name: 'a', maxConcurrent: 1 }], scheduler: ts });
      const closed = new ComfyPoolClosedError();
      expectObservable(pool.run(imageWorkflow)).toBe('(xq) #', { x: dispatched('a'), q: tagged(queued('p1'), 'a') }, closed);
      expectObservable(pool.run(imageWorkflow)).toBe('- 3ms #', undefined, closed);
      expectObservable(pool.hold()).toBe('- 3ms |');
      cold('- 3ms x').subscribe(() => pool.close());
      expectObservable(pool.run(imageWorkflow), '- 5ms ^').toBe('- 5ms #', undefined, closed);
      expectSubscriptions(long.subscriptions).toBe('^ 3ms !');
      expectSubscriptions(status.subscriptions).toBe('^ 3ms !');
    });
  });

  it('goes idle when nothing runs: the status watch is dropped and resumed with the next prompt', () => {
    ts.run(({ cold, expectSubscriptions }) => {
      const status = cold('-x', { x: 0 });
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 4ms (d|)', { q: queued('p1'), d: done('p1') })] });
      const pool = new ComfyPool({ servers: [{ client: { ...a.client, queueRemaining$: status }, name: 'a' }], scheduler: ts });
      pool.run(imageWorkflow).subscribe();
      cold('- 9ms x').subscribe(() => pool.run(imageWorkflow).subscribe());
      expectSubscriptions(status.subscriptions).toBe(['^ 4ms !', '- 9ms ^ 4ms !']);
    });
  });

  it('ready() emits the servers once each has been checked (up or down), then completes', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: cold('-(i|)', { i: objectInfo('SaveImage') }) });
      const b = fakeClient(ts, 'http://b/', { objectInfo: cold('---#', undefined, new Error('refused')) });
      const pool = new ComfyPool({
        servers: [
          { client: a.client, name: 'a' },
          { client: b.client, name: 'b' },
        ],
        health: { initialDelayMs: 10, jitter: 0 },
        scheduler: ts,
      });
      const snapshot = [
        { name: 'a', url: 'http://a/', index: 0, inFlight: 0, queueRemaining: 0, maxConcurrent: 2, load: 0, health: 'up', classTypeCount: 1 },
        { name: 'b', url: 'http://b/', index: 1, inFlight: 0, queueRemaining: 0, maxConcurrent: 2, load: 0, health: 'down', classTypeCount: undefined },
      ];
      expectObservable(pool.ready()).toBe('---(s|)', { s: snapshot });
    });
  });

  it('ready() still waiting when the pool closes errors with ComfyPoolClosedError', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { objectInfo: cold('-----(i|)', { i: objectInfo('SaveImage') }) });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], scheduler: ts });
      expectObservable(pool.ready()).toBe('--#', undefined, new ComfyPoolClosedError());
      cold('--x').subscribe(() => pool.close());
    });
  });

  it('asBatchTarget(): runs without the dispatched events, each event keeping its server', () => {
    ts.run(({ cold, expectObservable }) => {
      const a = fakeClient(ts, 'http://a/', { runs: [cold('q 3ms (d|)', { q: queued('p1'), d: done('p1') })] });
      const pool = new ComfyPool({ servers: [{ client: a.client, name: 'a' }], scheduler: ts });
      expectObservable(pool.asBatchTarget().run(imageWorkflow)).toBe('q 3ms (d|)', { q: tagged(queued('p1'), 'a'), d: tagged(done('p1'), 'a') });
    });
  });

  it('rejects invalid options with ComfyOptionsError', () => {
    const a = fakeClient(ts, 'http://a/');
    expect(() => new ComfyPool({ servers: [] })).toThrow(ComfyOptionsError);
    expect(() => new ComfyPool({ servers: [{ client: a.client }, { client: a.client }] })).toThrow(/duplicate server name 'http:\/\/a\/'/);
    expect(() => new ComfyPool({ servers: [{ client: a.client }], strategy: 'fastest' as 'round-robin' })).toThrow(ComfyOptionsError);
    expect(() => new ComfyPool({ servers: [{ client: a.client }], maxConcurrentPerServer: 0 })).toThrow(ComfyOptionsError);
    expect(() => new ComfyPool({ servers: [{ client: {} as typeof a.client }] })).toThrow(ComfyOptionsError);
    expect(() => new ComfyPool({ servers: [{ url: 'http://user:secret@h:1/' }, { url: 'http://user:secret@h:1/' }] })).toThrow(ComfyOptionsError);
    try {
      new ComfyPool({ servers: [{ url: 'http://user:secret@h:1/' }, { url: 'http://user:secret@h:1/' }] });
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('secret');
    }
    expect(() => new ComfyPool({ servers: [{ client: a.client }], health: { initialDelayMs: 10, jitter: 0 } })).not.toThrow();
  });
});
