import { TestScheduler } from 'rxjs/testing';
import { onAbandon } from '../src/operators/onAbandon';
import { newTestScheduler } from './helpers/testScheduler';

const isEnd = (value: string) => value === 'e';

describe('onAbandon', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  /** Frames at which the action ran. */
  function recorder() {
    const at: number[] = [];
    return { at, action: () => at.push(ts.now()) };
  }

  it('mirrors the source and takes no action once the end value passed, however it ends later', () => {
    const { at, action } = recorder();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const completes = cold('-a-e-c-|');
      expectObservable(completes.pipe(onAbandon({ reached: isEnd, action }))).toBe('-a-e-c-|');
      expectSubscriptions(completes.subscriptions).toBe('^------!');
      expectObservable(cold('-e-#').pipe(onAbandon({ reached: isEnd, action }))).toBe('-e-#');
      expectObservable(cold('-e---').pipe(onAbandon({ reached: isEnd, action })), '---!').toBe('-e-');
    });
    expect(at).toEqual([]);
  });

  it('acts once when unsubscribed before the end value', () => {
    const { at, action } = recorder();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-e');
      expectObservable(source.pipe(onAbandon({ reached: isEnd, action })), '---!').toBe('-a-');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    expect(at).toEqual([3]);
  });

  it('acts once when the source errors or completes before the end value', () => {
    const { at, action } = recorder();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#').pipe(onAbandon({ reached: isEnd, action }))).toBe('-a-#');
      expectObservable(cold('-a---|').pipe(onAbandon({ reached: isEnd, action }))).toBe('-a---|');
    });
    expect(at).toEqual([3, 5]);
  });
});
