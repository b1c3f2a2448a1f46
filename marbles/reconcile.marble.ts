import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { HistoryEntry, Job, QueueResponse } from '../src/protocol/api';
import { type ReconcileSources, jobHistoryEntry, reconcilePrompt } from '../src/prompt/reconcile';
import type { JobLookup } from '../src/transport/http';
import { historyEntry } from './helpers/messages';
import { newTestScheduler } from './helpers/testScheduler';

const entry = historyEntry('p');
const emptyQueue: QueueResponse = { queue_running: [], queue_pending: [] };
const completedJob: Job = { id: 'p', status: 'completed', priority: 3, outputs: entry.outputs, execution_status: entry.status, workflow: { prompt: {}, extra_data: {} } };

describe('reconcilePrompt', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  const sources = (parts: { queue$: Observable<QueueResponse>; history: Observable<HistoryEntry | undefined>; job?: Observable<JobLookup> }): ReconcileSources => ({
    queue$: parts.queue$,
    history: () => parts.history,
    ...(parts.job ? { job: () => parts.job! } : {}),
    recheckDelayMs: 5,
    scheduler: ts,
  });

  it('asks /api/jobs/{id} alone when the server has it: a finished job decides in one call', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job = cold('-j|', { j: { kind: 'found', job: completedJob } as JobLookup });
      const queue$ = cold<QueueResponse>('-q|', { q: emptyQueue });
      const history = cold<HistoryEntry | undefined>('-h|', { h: entry });
      expectObservable(reconcilePrompt('p', sources({ job, queue$, history }))).toBe('-v|', { v: { kind: 'finished', entry: jobHistoryEntry(completedJob) } });
      expectSubscriptions(queue$.subscriptions).toBe([]);
      expectSubscriptions(history.subscriptions).toBe([]);
    });
  });

  it('a running job is running; a pending one takes its place from /queue', () => {
    ts.run(({ cold, expectObservable }) => {
      const running = cold('-j|', { j: { kind: 'found', job: { id: 'p', status: 'in_progress' } } as JobLookup });
      const never = cold<QueueResponse>('-');
      expectObservable(reconcilePrompt('p', sources({ job: running, queue$: never, history: cold('-') }))).toBe('-v|', { v: { kind: 'running' } });
      const pending = cold('-j|', { j: { kind: 'found', job: { id: 'p', status: 'pending' } } as JobLookup });
      const queue$ = cold<QueueResponse>('-q|', { q: { queue_running: [[0, 'other']], queue_pending: [[5, 'p'], [2, 'x']] } });
      expectObservable(reconcilePrompt('p', sources({ job: pending, queue$, history: cold('-') }))).toBe('--v|', { v: { kind: 'pending', ahead: 2, number: 5 } });
    });
  });

  it('an older server (unsupported) or a failing jobs call: /queue then /history decide', () => {
    ts.run(({ cold, expectObservable }) => {
      const queue$ = cold<QueueResponse>('-q|', { q: emptyQueue });
      const history = cold<HistoryEntry | undefined>('-h|', { h: entry });
      const unsupported = cold('-u|', { u: { kind: 'unsupported' } as JobLookup });
      expectObservable(reconcilePrompt('p', sources({ job: unsupported, queue$, history }))).toBe('---v|', { v: { kind: 'finished', entry } });
      const failing = cold<JobLookup>('-#', undefined, new Error('502'));
      expectObservable(reconcilePrompt('p', sources({ job: failing, queue$, history }))).toBe('---v|', { v: { kind: 'finished', entry } });
    });
  });

  it('an unknown job is looked at again after recheckDelayMs, then lost', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const job = cold('-u|', { u: { kind: 'unknown' } as JobLookup });
      expectObservable(reconcilePrompt('p', sources({ job, queue$: cold('-'), history: cold('-') }))).toBe('-------v|', { v: { kind: 'lost' } });
      expectSubscriptions(job.subscriptions).toBe(['^-!', '------^-!']);
    });
  });

  it('/queue unreadable (NaN past every parser, 5xx past the retries): /history/{id} still decides a finished prompt', () => {
    ts.run(({ cold, expectObservable }) => {
      const queue$ = cold<QueueResponse>('-#', undefined, new Error('queue unreadable'));
      const history = cold<HistoryEntry | undefined>('-h|', { h: entry });
      expectObservable(reconcilePrompt('p', sources({ queue$, history }))).toBe('--v|', { v: { kind: 'finished', entry } });
    });
  });

  it('/queue unreadable and no history entry: undecided, the queue error (never a false "lost")', () => {
    ts.run(({ cold, expectObservable }) => {
      const queue$ = cold<QueueResponse>('-#', undefined, new Error('queue unreadable'));
      const history = cold<HistoryEntry | undefined>('-h|', { h: undefined });
      expectObservable(reconcilePrompt('p', sources({ queue$, history }))).toBe('--#', undefined, new Error('queue unreadable'));
    });
  });

  it('queue and history: queued, running, finished, lost (unchanged for servers without jobs)', () => {
    ts.run(({ cold, expectObservable }) => {
      const nowhere = cold<HistoryEntry | undefined>('-h|', { h: undefined });
      expectObservable(reconcilePrompt('p', sources({ queue$: cold('-q|', { q: { queue_running: [[1, 'p']], queue_pending: [] } }), history: nowhere }))).toBe('-v|', { v: { kind: 'running', number: 1 } });
      expectObservable(reconcilePrompt('p', sources({ queue$: cold('-q|', { q: emptyQueue }), history: nowhere }))).toBe('---------v|', { v: { kind: 'lost' } });
    });
  });
});

describe('jobHistoryEntry', () => {
  it('rebuilds the history entry a finished job was made from (outputs and status, for the outcome)', () => {
    expect(jobHistoryEntry(completedJob)).toEqual({ prompt: [3, 'p', {}, {}, []], outputs: entry.outputs, status: entry.status });
    expect(jobHistoryEntry({ id: 'p', status: 'completed', execution_status: {}, outputs: {} })).toEqual({ prompt: [0, 'p', {}, {}, []], outputs: {} });
    expect(jobHistoryEntry({ id: 'p', status: 'pending' })).toBeUndefined();
  });
});
