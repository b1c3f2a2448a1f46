import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { silenceTicks } from '../src/operators/silenceTicks';
import { newTestScheduler } from './helpers/testScheduler';

describe('silenceTicks', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('ticks every period of silence, growing, and restarts on each value', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 30ms b 120ms              c|');
      const sourceSubs = ' ^ 152ms                     !';
      const expected = '   - 30ms - 49ms x 49ms y 20ms -|';
      expectObservable(source.pipe(silenceTicks({ periodMs: 50, scheduler: ts }))).toBe(expected, { x: 50, y: 100 });
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it('counts from subscription when the source is silent from the start', () => {
    ts.run(({ expectObservable }) => {
      expectObservable(NEVER.pipe(silenceTicks({ periodMs: 10, scheduler: ts })), '35ms !').toBe('10ms a 9ms b 9ms c', { a: 10, b: 20, c: 30 });
    });
  });

  it('leaves no timer behind when unsubscribed', () => {
    const subscription = NEVER.pipe(silenceTicks({ periodMs: 50, scheduler: ts })).subscribe();
    expect(ts.actions.length).toBeGreaterThan(0);
    subscription.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects a non-positive period at call time', () => {
    expect(() => silenceTicks({ periodMs: 0 })).toThrow(RangeError);
  });
});
