import { type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ComfyExecutionError, ComfyInterruptedError, ComfyPromptLostError, ComfyProtocolError } from '../src/errors';
import type { HistoryEntry } from '../src/protocol/api';
import type { DoneEvent } from '../src/prompt/events';
import { type HistorySources, doneFromHistory, finish, readHistory, reconcileToEntry } from '../src/prompt/historyResult';
import type { ReconcileVerdict } from '../src/prompt/reconcile';
import { erroredEntry, historyEntry } from './helpers/messages';
import { newTestScheduler } from './helpers/testScheduler';

const entry = historyEntry('p1');
const done = (elapsedMs: number): DoneEvent => ({ type: 'done', promptId: 'p1', outputs: entry.outputs, elapsedMs });
const interruptedEntry: HistoryEntry = {
  prompt: [],
  outputs: {},
  status: { status_str: 'error', completed: false, messages: [['execution_interrupted', { prompt_id: 'p1', node_id: '4', node_type: 'KSampler', executed: [] }]] },
};

/** Sources whose `/history` answers come from `reads` in turn (the last one repeats). */
function sources(ts: TestScheduler, reads: Observable<HistoryEntry | undefined>[], reconcile: () => Observable<ReconcileVerdict> = () => of({ kind: 'lost' })) {
  let n = 0;
  const asked: number[] = [];
  const history = (): Observable<HistoryEntry | undefined> => {
    asked.push(ts.now());
    return reads[Math.min(n++, reads.length - 1)]!;
  };
  const s: HistorySources = { history, reconcile, scheduler: ts };
  return { sources: s, asked };
}

describe('finish', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('a success reads /history and ends with done (elapsed since the start), then completes', () => {
    ts.run(({ cold, expectObservable }) => {
      const { sources: s } = sources(ts, [cold('--(h|)', { h: entry })]);
      expectObservable(finish('p1', { kind: 'success' }, s, -3)).toBe('--(d|)', { d: done(5) });
    });
  });

  it('a success that carries its entry (reconciliation) does not read /history again', () => {
    ts.run(({ expectObservable }) => {
      const { sources: s, asked } = sources(ts, [of(undefined)]);
      expectObservable(finish('p1', { kind: 'success', entry }, s, 0)).toBe('(d|)', { d: done(0) });
      ts.schedule(() => expect(asked).toEqual([]), 1);
    });
  });

  it('a failed outcome errors with its own error', () => {
    ts.run(({ expectObservable }) => {
      const { sources: s } = sources(ts, [of(entry)]);
      const error = new ComfyPromptLostError('p1');
      expectObservable(finish('p1', { kind: 'failed', error }, s, 0)).toBe('#', undefined, error);
    });
  });

  it('an entry that records an execution error errors with ComfyExecutionError', () => {
    let failure: unknown;
    ts.run(({ cold }) => {
      const { sources: s } = sources(ts, [cold('(h|)', { h: erroredEntry('p1') })]);
      finish('p1', { kind: 'success' }, s, 0).subscribe({ error: (e: unknown) => (failure = e) });
    });
    expect(failure).toBeInstanceOf(ComfyExecutionError);
    expect(failure).toMatchObject({ promptId: 'p1', nodeId: '2', nodeType: 'FailAlways', exceptionType: 'RuntimeError' });
  });

  it('history still empty after every re-read: asks the reconciliation source, and a lost prompt errors', () => {
    let failure: unknown;
    ts.run(({ cold }) => {
      const { sources: s } = sources(ts, [cold('(u|)', { u: undefined })], () => cold('-(l|)', { l: { kind: 'lost' } }));
      finish('p1', { kind: 'success' }, s, 0).subscribe({ error: (e: unknown) => (failure = e) });
    });
    expect(failure).toBeInstanceOf(ComfyPromptLostError);
  });
});

describe('readHistory', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('re-reads after 25, 50, 100... ms while /history is empty, and emits the entry once written', () => {
    ts.run(({ cold, expectObservable }) => {
      const empty = cold('(u|)', { u: undefined });
      const { sources: s, asked } = sources(ts, [empty, empty, empty, cold('(h|)', { h: entry })]);
      expectObservable(readHistory('p1', s)).toBe('175ms (h|)', { h: entry });
      ts.schedule(() => expect(asked).toEqual([0, 25, 75, 175]), 200);
    });
  });

  it('emits undefined when it stays empty through every re-read (25+50+100+200+400+800 ms)', () => {
    ts.run(({ cold, expectObservable }) => {
      const { sources: s, asked } = sources(ts, [cold('(u|)', { u: undefined })]);
      expectObservable(readHistory('p1', s)).toBe('1575ms (u|)', { u: undefined });
      ts.schedule(() => expect(asked).toHaveLength(7), 2000);
    });
  });
});

describe('reconcileToEntry', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('finished -> its entry; lost -> ComfyPromptLostError; still queued or running -> ComfyProtocolError', () => {
    const failures: unknown[] = [];
    ts.run(({ cold, expectObservable }) => {
      expectObservable(reconcileToEntry('p1', () => cold('-(f|)', { f: { kind: 'finished', entry } }))).toBe('-(h|)', { h: entry });
      reconcileToEntry('p1', () => of<ReconcileVerdict>({ kind: 'lost' })).subscribe({ error: (e: unknown) => failures.push(e) });
      reconcileToEntry('p1', () => of<ReconcileVerdict>({ kind: 'running' })).subscribe({ error: (e: unknown) => failures.push(e) });
    });
    expect(failures[0]).toBeInstanceOf(ComfyPromptLostError);
    expect(failures[1]).toBeInstanceOf(ComfyProtocolError);
    expect((failures[1] as Error).message).toMatch(/still lists it as running/);
  });
});

describe('doneFromHistory', () => {
  it('a successful entry is done with its outputs', () => {
    expect(doneFromHistory('p1', entry, 12)).toEqual(done(12));
  });

  it('an errored entry throws ComfyExecutionError; an interrupted one ComfyInterruptedError', () => {
    expect(() => doneFromHistory('p1', erroredEntry('p1'), 0)).toThrow(ComfyExecutionError);
    expect(() => doneFromHistory('p1', interruptedEntry, 0)).toThrow(ComfyInterruptedError);
    expect(() => doneFromHistory('p1', interruptedEntry, 0)).toThrow(/at node 4 \(KSampler\)/);
  });
});
