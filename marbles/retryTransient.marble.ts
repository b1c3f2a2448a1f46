import { defer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type RetryBudget, type RetryTransientConfig, retryTransient } from '../src/operators/retryTransient';
import { newTestScheduler } from './helpers/testScheduler';

const policy: RetryBudget = { initialDelayMs: 2, maxDelayMs: 8, maxAttempts: 4, jitter: 0, budgetMs: 1_000 };
/** 'busy' is transient (Retry-After 0), 'later' asks for 20 ms, anything else is final. */
const transient = (error: unknown): number | undefined => (error === 'busy' ? 0 : error === 'later' ? 20 : undefined);
const giveUp = (error: unknown, retries: number, elapsedMs: number, stop: string) => new Error(`${stop}: ${retries} retries in ${elapsedMs} ms, last ${String(error)}`);
const config = (overrides: Partial<RetryTransientConfig> = {}): RetryTransientConfig => ({ policy, transient, giveUp, ...overrides });

/** Subscribes to the next of `attempts` on each (re)subscription. */
function sequence(attempts: Observable<string>[]): Observable<string> {
  let index = 0;
  return defer(() => attempts[Math.min(index++, attempts.length - 1)]!);
}

describe('retryTransient', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('retries a transient failure after 2, then 4 ms and passes the answer on', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-#', undefined, 'busy');
      const second = cold('-#', undefined, 'busy');
      const third = cold(' -a|');
      //                  fails at 1, waits 2 -> 3, fails at 4, waits 4 -> 8, answers at 9
      const expected = '  ---------a|';
      expectObservable(sequence([first, second, third]).pipe(retryTransient(config({ scheduler: ts })))).toBe(expected);
      expectSubscriptions(first.subscriptions).toBe('^!');
      expectSubscriptions(second.subscriptions).toBe('---^!');
      expectSubscriptions(third.subscriptions).toBe('--------^-!');
    });
  });

  it('waits 2, 4, 8, 8 ms, then gives up with the typed error after maxAttempts', () => {
    ts.run(({ cold, expectObservable }) => {
      const down = cold('-#', undefined, 'busy');
      // fails at 1, 4, 9, 18, 27: the fifth failure exceeds 4 retries
      expectObservable(sequence([down]).pipe(retryTransient(config({ scheduler: ts })))).toBe('---------------------------#', undefined, new Error('attempts: 4 retries in 27 ms, last busy'));
    });
  });

  it('honours Retry-After when it is longer than the backoff', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-#', undefined, 'later');
      const second = cold('-a|');
      expectObservable(sequence([first, second]).pipe(retryTransient(config({ scheduler: ts })))).toBe('----------------------a|');
      expectSubscriptions(second.subscriptions).toBe('---------------------^-!');
    });
  });

  it('stops at the budget: no retry starts later than budgetMs after the first subscription', () => {
    ts.run(({ cold, expectObservable }) => {
      const down = cold('-#', undefined, 'busy');
      const tight = config({ policy: { ...policy, maxAttempts: 99, budgetMs: 10 } });
      // fails at 1 (retry at 3), 4 (retry at 8), 9: the next wait (8 ms) would end at 17 > 10
      expectObservable(sequence([down]).pipe(retryTransient({ ...tight, scheduler: ts }))).toBe('---------#', undefined, new Error('budget: 2 retries in 9 ms, last busy'));
    });
  });

  it('passes a final error at once, unchanged, and never resubscribes', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const rejected = cold('-#', undefined, 'bad request');
      expectObservable(rejected.pipe(retryTransient(config({ scheduler: ts })))).toBe('-#', undefined, 'bad request');
      expectSubscriptions(rejected.subscriptions).toBe('^!');
    });
  });

  it('passes the server error itself when no retry was made (maxAttempts 0, or Retry-After beyond the budget)', () => {
    ts.run(({ cold, expectObservable }) => {
      const off = config({ policy: { ...policy, maxAttempts: 0 } });
      expectObservable(cold('-#', undefined, 'busy').pipe(retryTransient({ ...off, scheduler: ts }))).toBe('-#', undefined, 'busy');
      const short = config({ policy: { ...policy, budgetMs: 15 } });
      expectObservable(cold('-#', undefined, 'later').pipe(retryTransient({ ...short, scheduler: ts }))).toBe('-#', undefined, 'later');
    });
  });

  it('reports each retry before its wait', () => {
    const seen: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      const source = sequence([cold('-#', undefined, 'busy'), cold('-#', undefined, 'later'), cold('-a|')]);
      expectObservable(source.pipe(retryTransient(config({ onRetry: (r) => seen.push(r), scheduler: ts })))).toBe('-------------------------a|');
    });
    expect(seen).toEqual([
      { attempt: 1, delayMs: 2, error: 'busy' },
      { attempt: 2, delayMs: 20, error: 'later' },
    ]);
  });

  it('applies jitter from the random source', () => {
    ts.run(({ cold, expectObservable }) => {
      const jittery = config({ policy: { ...policy, jitter: 0.5, initialDelayMs: 8 }, random: () => 1 });
      expectObservable(sequence([cold('-#', undefined, 'busy'), cold('-a|')]).pipe(retryTransient({ ...jittery, scheduler: ts }))).toBe('------a|');
    });
  });

  it('cancels the pending retry when unsubscribed during a wait', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const down = cold('-#', undefined, 'busy');
      expectObservable(sequence([down]).pipe(retryTransient(config({ scheduler: ts }))), '--!').toBe('--');
      expectSubscriptions(down.subscriptions).toBe('^!');
    });
  });

  it('leaves no timer behind once unsubscribed mid-wait', () => {
    const failing = defer(() => {
      throw 'busy';
    });
    const subscription = failing.pipe(retryTransient(config({ scheduler: ts }))).subscribe({ error: () => undefined });
    expect(ts.actions).toHaveLength(1);
    subscription.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects an invalid policy at call time', () => {
    expect(() => retryTransient(config({ policy: { ...policy, jitter: 2 } }))).toThrow(RangeError);
    expect(() => retryTransient(config({ policy: { ...policy, budgetMs: -1 } }))).toThrow(/budgetMs/);
  });
});
