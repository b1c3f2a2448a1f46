import { TestScheduler } from 'rxjs/testing';
import { deadline } from '../src/operators/deadline';
import { newTestScheduler } from './helpers/testScheduler';

describe('deadline', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));
  const late = () => new Error('late');

  it('errors when the budget is spent, whatever the source emitted', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a--b--c--');
      expectObservable(source.pipe(deadline(6, late, ts))).toBe('-a--b-#', undefined, late());
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('mirrors a source that completes in time and cancels its clock', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(deadline(6, late, ts))).toBe('-a-|');
    });
    expect(ts.actions).toHaveLength(0);
  });

  it('forwards a source error before the budget', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('--#').pipe(deadline(6, late, ts))).toBe('--#');
    });
  });

  it('rejects a non-positive budget', () => {
    expect(() => deadline(0, late)).toThrow(RangeError);
  });
});
