import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { firstFinal } from '../src/operators/firstFinal';
import { newTestScheduler } from './helpers/testScheduler';

const isFinal = (value: string) => value === value.toUpperCase();

describe('firstFinal', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('emits a final first value at once and unsubscribes from the source', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--A-b-|');
      expectObservable(source.pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('--(A|)');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('after a non-final first value, emits the final one that follows within the grace', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-F--|');
      expectObservable(source.pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('-----(F|)');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('falls back to the first value when the grace runs out', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a------F');
      expectObservable(source.pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('------(a|)');
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('falls back to the first value when the source completes during the grace; completes empty on an empty source', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('---(a|)');
      expectObservable(cold('---|').pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('---|');
    });
  });

  it('forwards an error of the source', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#').pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts }))).toBe('---#');
    });
  });

  it('cancels its grace timer on unsubscribe', () => {
    const source = new Subject<string>();
    const sub = source.pipe(firstFinal({ isFinal, graceMs: 5, scheduler: ts })).subscribe();
    source.next('a'); // not final: the grace timer is armed
    expect(ts.actions).toHaveLength(1);
    sub.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects a negative grace at call time', () => {
    expect(() => firstFinal({ isFinal, graceMs: -1 })).toThrow(RangeError);
  });
});
