import { type Observable, Subject, defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type BackoffPolicy, backoffDelay, reconnectWithBackoff } from '../src/operators/reconnectWithBackoff';
import { newTestScheduler } from './helpers/testScheduler';

const policy: BackoffPolicy = { initialDelayMs: 2, maxDelayMs: 8, maxAttempts: 4, jitter: 0 };
const giveUp = (err: unknown, attempts: number) => new Error(`gave up after ${attempts}: ${String(err)}`);
const isReady = (value: string) => value === 'o';
const notice = (attempt: number, delayMs: number) => ({ kind: 'reconnecting', attempt, delayMs, error: 'down' });

/** Subscribes to the next of `attempts` on each (re)subscription. */
function sequence(attempts: Observable<string>[]): Observable<string> {
  let index = 0;
  return defer(() => attempts[Math.min(index++, attempts.length - 1)]!);
}

describe('backoffDelay', () => {
  it('doubles from initialDelayMs and stops at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, { initialDelayMs: 250, maxDelayMs: 4_000, maxAttempts: 9, jitter: 0 }));
    expect(delays).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000]);
  });

  it('shortens each delay by up to `jitter` of itself', () => {
    const p = { initialDelayMs: 1_000, maxDelayMs: 1_000, maxAttempts: 9, jitter: 0.3 };
    expect(backoffDelay(1, p, () => 0)).toBe(1_000);
    expect(backoffDelay(1, p, () => 1)).toBe(700);
    expect(backoffDelay(1, p, () => 0.5)).toBe(850);
  });
});

describe('reconnectWithBackoff', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('waits 2, 4, 8, 8 ms between attempts, announcing each, then gives up', () => {
    ts.run(({ cold, expectObservable }) => {
      const down = cold('-#', undefined, 'down');
      const source = sequence([down]);
      // attempt: fails at 1, waits 2 -> resubscribes at 3, fails at 4, waits 4 -> 8, fails 9, waits 8 -> 17, fails 18, waits 8 -> 26, fails 27: 5th failure > 4 attempts
      const expected = '-a--b----c--------d--------#';
      expectObservable(source.pipe(reconnectWithBackoff({ policy, isReady, giveUp, scheduler: ts }))).toBe(
        expected,
        { a: notice(1, 2), b: notice(2, 4), c: notice(3, 8), d: notice(4, 8) },
        new Error('gave up after 4: down'),
      );
    });
  });

  it('resets the attempt count once a connection is ready again', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = sequence([cold('o-#', undefined, 'down'), cold('-#', undefined, 'down'), cold('--o-#', undefined, 'down'), cold('-')]);
      // 1st: o at 0, fails at 2 (attempt 1, 2ms) -> 2nd at 4 fails at 5 (attempt 2, 4ms) -> 3rd at 9: o at 11 (reset), fails 13 (attempt 1 again, 2ms) -> 4th at 15
      const expected = 'o-a--b-----o-c';
      expectObservable(source.pipe(reconnectWithBackoff({ policy, isReady, giveUp, scheduler: ts }))).toBe(expected, {
        o: 'o',
        a: notice(1, 2),
        b: notice(2, 4),
        c: notice(1, 2),
      });
    });
  });

  it('cancels the pending retry when unsubscribed during a wait', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const down = cold('-#', undefined, 'down');
      const unsub = '    --!';
      expectObservable(sequence([down]).pipe(reconnectWithBackoff({ policy, isReady, giveUp, scheduler: ts })), unsub).toBe('-a', { a: notice(1, 2) });
      expectSubscriptions(down.subscriptions).toBe('^!');
    });
  });

  it('leaves no retry timer behind when unsubscribed during a wait', () => {
    // outside `run`: run() flushes every action, a leaked retry would not show there
    const source = new Subject<string>();
    const notices: unknown[] = [];
    const subscription = source.pipe(reconnectWithBackoff({ policy, isReady, giveUp, scheduler: ts })).subscribe((value) => notices.push(value));
    source.error('down');
    expect(notices).toEqual([notice(1, 2)]);
    expect(ts.actions).toHaveLength(1); // the retry, due in 2 ms
    subscription.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects an invalid policy at call time', () => {
    expect(() => reconnectWithBackoff({ policy: { ...policy, jitter: 2 }, isReady, giveUp })).toThrow(RangeError);
    expect(() => reconnectWithBackoff({ policy: { ...policy, maxAttempts: -1 }, isReady, giveUp })).toThrow(/maxAttempts/);
  });
});
