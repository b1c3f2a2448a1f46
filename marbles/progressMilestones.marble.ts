import type { TestScheduler } from 'rxjs/testing';
import { progressMilestones } from '../src/progress/progressMilestones';
import type { ProgressView } from '../src/progress/progressView';
import { newTestScheduler } from './helpers/testScheduler';

const base: ProgressView = { state: 'running', nodesDone: 0, queue: {}, elapsedMs: 0, reconnects: 0, node: { id: '3', classType: 'KSampler' } };
const v = (patch: Partial<ProgressView>): ProgressView => ({ ...base, ...patch });

describe('progressMilestones', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('runs the diagram of its JSDoc: keeps the first view, each 25% step of a node, and the end', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = {
        a: v({ state: 'submitting', node: undefined }),
        b: v({ nodePercent: 10 }),
        c: v({ nodePercent: 20 }),
        d: v({ nodePercent: 30 }),
        e: v({ state: 'done', node: undefined }),
      };
      const source = cold('a b c d e|', values);
      expectObservable(source.pipe(progressMilestones())).toBe('a b - d e|', values);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('drops elapsed-time ticks and keeps node changes, queue moves, stalls and reconnects', () => {
    ts.run(({ cold, expectObservable }) => {
      const values = {
        a: v({ state: 'queued', node: undefined, queue: { ahead: 2 } }),
        t: v({ state: 'queued', node: undefined, queue: { ahead: 2 }, elapsedMs: 1000 }),
        b: v({ state: 'queued', node: undefined, queue: { ahead: 1 }, elapsedMs: 1500 }),
        r: v({ state: 'queued', node: undefined, queue: { ahead: 1, remaining: 4 }, elapsedMs: 1600 }),
        x: v({ elapsedMs: 2000 }),
        u: v({ elapsedMs: 3000 }),
        s: v({ elapsedMs: 3000, stalledMs: 30_000 }),
        S: v({ elapsedMs: 4000, stalledMs: 30_000 }),
        T: v({ elapsedMs: 4000, stalledMs: 60_000 }),
        k: v({ elapsedMs: 5000, reconnecting: { attempt: 1, delayMs: 250 } }),
        K: v({ elapsedMs: 5100, reconnecting: { attempt: 1, delayMs: 250 } }),
        o: v({ elapsedMs: 5200, reconnects: 1 }),
        y: v({ elapsedMs: 6000, node: { id: '4', classType: 'SaveImage' } }),
        f: v({ state: 'failed', elapsedMs: 7000, error: new Error('boom') }),
      };
      const source = cold('atbrxusSTkKoyf|', values);
      expectObservable(source.pipe(progressMilestones())).toBe('a-b-x-s-Tk-oyf|', values);
    });
  });

  it('passes an error through', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('a#', { a: base }).pipe(progressMilestones())).toBe('a#', { a: base });
    });
  });

  it('rejects a step outside (0, 100] at call time', () => {
    expect(() => progressMilestones(0)).toThrow(RangeError);
    expect(() => progressMilestones(101)).toThrow(RangeError);
  });
});
