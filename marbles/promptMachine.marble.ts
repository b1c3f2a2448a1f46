import { type SchedulerLike, type Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { PromptEvent } from '../src/prompt/events';
import { runPrompt } from '../src/prompt/runPrompt';
import { watchPrompt } from '../src/prompt/watchPrompt';
import { historyEntry, msg, queueWith } from './helpers/messages';
import { accepted, fakeDeps, open, workflow } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

/** The test scheduler, counting the actions scheduled on it that have neither run nor been cancelled. */
function countingScheduler(ts: TestScheduler) {
  const count = { pending: 0, peak: 0 };
  const scheduler: SchedulerLike = {
    now: () => ts.now(),
    schedule(work, delay, state): Subscription {
      count.pending++;
      count.peak = Math.max(count.peak, count.pending);
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        count.pending--;
      };
      const action = ts.schedule(function (this, value) {
        settle();
        (work as (this: typeof action, value: unknown) => void).call(this, value);
      }, delay, state);
      action.add(settle);
      return action;
    },
  };
  return { scheduler, count };
}

const m = { s: msg.start('p1'), x: msg.executing('p1', '9'), p: msg.progress('p1', '9', 5, 10), e: msg.executed('p1', '9', 'ComfyUI_00001_.png'), k: msg.success('p1'), n: msg.executing('p1', null) };
const ev: Record<string, PromptEvent> = {
  q: { type: 'queued', promptId: 'p1', number: 7, nodeErrors: {} },
  t: { type: 'started', promptId: 'p1' },
  x: { type: 'executing', node: '9', classType: 'SaveImage' },
  X: { type: 'executing', node: '9', classType: undefined },
  p: { type: 'progress', node: '9', value: 5, max: 10, percent: 50 },
  e: { type: 'executed', node: '9', output: { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] } },
  w: { type: 'waiting', ahead: 1 },
};
const done = (elapsedMs: number): PromptEvent => ({ type: 'done', promptId: 'p1', outputs: historyEntry('p1').outputs, elapsedMs });

describe("a prompt's state machine", () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('holds one subscription to the router and one to the connection events for the whole life, and releases both at the end', () => {
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const connection = cold('o', { o: open() });
      const inbox = hot('---s-x-p-e-n', m);
      const { deps } = fakeDeps(ts, { connection$: connection, inbox$: inbox, queuePrompt$: cold('--(r|)', { r: accepted }), history: () => cold('-(h|)', { h: historyEntry('p1') }) });
      expectObservable(runPrompt(deps, workflow)).toBe('--qt-x-p-e--(d|)', { ...ev, d: done(12) });
      expectSubscriptions(connection.subscriptions).toBe('^-----------!');
      expectSubscriptions(inbox.subscriptions).toBe('^-----------!');
    });
  });

  it('keeps one timer at a time (budget, stall ticks and the grace after execution_success share one slot), and none after the end', () => {
    const { scheduler, count } = countingScheduler(ts);
    ts.run(({ cold, hot, expectObservable }) => {
      const { deps } = fakeDeps(ts, {
        stallWarnAfterMs: 4,
        connection$: cold('o', { o: open() }),
        inbox$: hot('-s-x-------k---', m),
        queue$: cold('(q|)', { q: queueWith(['p1']) }),
        history: () => cold('(h|)', { h: historyEntry('p1') }),
      });
      deps.scheduler = scheduler;
      // x at 3, silent until 11: stalled at 7 (reconciled: running); k at 11, no final marker: /history at 111
      const run$ = runPrompt(deps, workflow, { timeoutMs: 1_000 });
      expectObservable(run$).toBe('qt-x---s 103ms (d|)', { ...ev, s: { type: 'stalled', silentMs: 4 }, d: done(111) });
    });
    expect(count.peak).toBe(1);
    expect(count.pending).toBe(0);
  });

  it('watch: starts from the server truth when the socket opens, follows the live messages, checks on silence, and posts nothing', () => {
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const connection = cold('o', { o: open() });
      const { deps, calls } = fakeDeps(ts, {
        stallWarnAfterMs: 5,
        connection$: connection,
        inbox$: hot('---x-----', m),
        queue$: cold('(q|)', { q: queueWith(['other'], [[7, 'p1']]) }),
      });
      // truth at 0: one ahead; x at 3 (no class types: watch did not submit the workflow); silent from 3: stalled at 8, still waiting
      expectObservable(watchPrompt(deps, 'p1'), '^ 9ms !').toBe('w--(tX)-(sw)', { ...ev, s: { type: 'stalled', silentMs: 5 } });
      expectSubscriptions(connection.subscriptions).toBe('^---------!');
      expect(calls.posted).toEqual([]);
    });
  });
});
