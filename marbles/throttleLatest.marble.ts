import { NEVER } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { throttleLatest } from '../src/operators/throttleLatest';
import { newTestScheduler } from './helpers/testScheduler';

describe('throttleLatest', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits the first value at once, then the latest of each window at its end; flushes the last at completion', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' a 10ms b 10ms c 100ms d 10ms e|');
      const sourceSubs = '  ^ 134ms                     !';
      const expected = '    a 49ms       c 72ms   d 11ms (e|)';
      expectObservable(source.pipe(throttleLatest({ windowMs: 50, scheduler: ts }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it('never drops the last value: a value pending when the source errors is emitted before the error', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' a 5ms b 5ms #');
      const sourceSubs = '  ^ 11ms     !';
      const expected = '    a 11ms     (b#)';
      expectObservable(source.pipe(throttleLatest({ windowMs: 50, scheduler: ts }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it('a value after a quiet window goes out at once and opens a new window', () => {
    ts.run(({ cold, expectObservable }) => {
      const source = cold(' a 99ms b 10ms c 99ms |');
      const expected = '    a 99ms b 49ms c 60ms |';
      expectObservable(source.pipe(throttleLatest({ windowMs: 50, scheduler: ts }))).toBe(expected);
    });
  });

  it('windowMs 0 forwards every value', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('abc|').pipe(throttleLatest({ windowMs: 0, scheduler: ts }))).toBe('abc|');
    });
  });

  it('cancels its window timer and stops the source on unsubscribe', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' a 5ms b 100ms c|');
      const unsub = '       ^ 20ms !';
      const sourceSubs = '  ^ 20ms !';
      expectObservable(source.pipe(throttleLatest({ windowMs: 50, scheduler: ts })), unsub).toBe('a');
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
    const sub = NEVER.pipe(throttleLatest({ windowMs: 50, scheduler: ts })).subscribe();
    sub.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects a negative window at call time', () => {
    expect(() => throttleLatest({ windowMs: -1 })).toThrow(RangeError);
  });
});
