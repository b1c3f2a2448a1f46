import { defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterFirst } from '../src/operators/afterFirst';
import { newTestScheduler } from './helpers/testScheduler';

describe('afterFirst', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('holds source values until the gate emits, then emits the gate value, the held values, and live ones', () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('  -a-b-----c--|');
      const sourceSubs = '  ^-----------!';
      const gate = cold('   ----q|');
      const gateSubs = '    ^----!';
      const expected = '    ----(qab)c--|';
      expectObservable(source.pipe(afterFirst(gate))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      expectSubscriptions(gate.subscriptions).toBe(gateSubs);
    });
  });

  it('subscribes to the source before the gate (so nothing the gate triggers is missed)', () => {
    const order: string[] = [];
    ts.run(({ cold, expectObservable }) => {
      const source = defer(() => {
        order.push('source');
        return cold('(a|)');
      });
      const gate = defer(() => {
        order.push('gate');
        return cold('g|');
      });
      expectObservable(source.pipe(afterFirst(gate))).toBe('(ga|)');
    });
    expect(order).toEqual(['source', 'gate']);
  });

  it('completes after the gate when the source completed while held', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('a|').pipe(afterFirst(cold('---q|')))).toBe('---(qa|)');
    });
  });

  it('forwards a gate error and drops the held values', () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b----');
      const expected = '  ---#';
      expectObservable(source.pipe(afterFirst(cold('---#')))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('forwards a source error at once, even while held', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-#').pipe(afterFirst(cold('----q|')))).toBe('-#');
    });
  });

  it('unsubscribes from both on early unsubscribe', () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('-a----b-c-');
      const gate = cold(' --q|');
      const unsub = '     -------!';
      expectObservable(source.pipe(afterFirst(gate)), unsub).toBe('--(qa)b');
      expectSubscriptions(source.subscriptions).toBe('^------!');
      expectSubscriptions(gate.subscriptions).toBe('^--!');
    });
  });
});
