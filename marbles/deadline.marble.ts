import { Subject } from 'rxjs';
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
      expectObservable(source.pipe(deadline({ budgetMs: 6, makeError: late, scheduler: ts }))).toBe('-a--b-#', undefined, late());
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  it('mirrors a source that completes in time', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|').pipe(deadline({ budgetMs: 6, makeError: late, scheduler: ts }))).toBe('-a-|');
    });
  });

  it('cancels its clock when the source completes or errors in time, and on unsubscribe', () => {
    // outside `run`: run() flushes every action, a leaked clock would not show there
    for (const end of ['complete', 'error', 'unsubscribe'] as const) {
      const source = new Subject<string>();
      const subscription = source.pipe(deadline({ budgetMs: 6, makeError: late, scheduler: ts })).subscribe({ error: () => undefined });
      expect(ts.actions).toHaveLength(1);
      if (end === 'complete') source.complete();
      else if (end === 'error') source.error(new Error('down'));
      else subscription.unsubscribe();
      expect(ts.actions).toHaveLength(0);
    }
  });

  it('forwards a source error before the budget', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('--#').pipe(deadline({ budgetMs: 6, makeError: late, scheduler: ts }))).toBe('--#');
    });
  });

  it('rejects a non-positive budget', () => {
    expect(() => deadline({ budgetMs: 0, makeError: late })).toThrow(RangeError);
  });
});
