import type { TestScheduler } from 'rxjs/testing';
import { ComfyJobNotFoundError } from '../src/queue/errors';
import type { JobResult } from '../src/queue/jobData';
import { jobEventStream } from '../src/queue/jobEventStream';
import type { JobSnapshot, RawJobEvent } from '../src/queue/rawJobEvent';
import { newTestScheduler } from './helpers/testScheduler';

const result: JobResult = { v: 1, promptId: 'p1', server: 'gpu1', outputs: {}, files: [], references: [], reattached: false, elapsedMs: 5 };
const active = JSON.stringify({ server: 'gpu1', promptId: 'p1', attempt: 1, reattached: false });
const error = { name: 'ComfyPromptLostError', code: 'COMFYRX_PROMPT_LOST', message: 'lost', fields: { promptId: 'p1' } };
const raw: Record<string, RawJobEvent> = {
  w: { event: 'waiting' },
  A: { event: 'active' },
  a: { event: 'comfy:active', payload: active },
  p: { event: 'progress', data: { state: 'running', percent: 50 } },
  x: { event: 'progress', data: { percent: 'not a number' } },
  r: { event: 'comfy:retrying', payload: JSON.stringify({ error }) },
  c: { event: 'completed', returnvalue: result },
  f: { event: 'failed', failedReason: 'lost' },
  s: { event: 'stalled' },
};
const waiting: JobSnapshot = { state: 'waiting', attemptsMade: 0, progress: 0, returnvalue: null };

describe('jobEventStream', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('state first, then the events held while the job was read, then live ones; completes after completed', () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const live$ = hot('  --w--A--a--x--p--c--p', raw);
      const liveSubs = '   ^ 16ms !';
      const snapshot$ = cold('----(s|)', { s: waiting });
      const expected = '   ----(SW)a-----p--(C|)';
      expectObservable(jobEventStream({ jobId: 'j', queue: 'q', live$, snapshot$, failure: () => [undefined] })).toBe(expected, {
        S: { type: 'state', jobId: 'j', state: 'waiting', attemptsMade: 0 },
        W: { type: 'waiting', jobId: 'j' },
        a: { type: 'active', jobId: 'j', server: 'gpu1', promptId: 'p1', attempt: 1, reattached: false },
        p: { type: 'progress', jobId: 'j', progress: { state: 'running', percent: 50 } },
        C: { type: 'completed', jobId: 'j', result },
      });
      expectSubscriptions(live$.subscriptions).toBe(liveSubs);
    });
  });

  it('a retried failure does not end the stream; the final failed carries the error the worker stored', () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const live$ = hot('  -r-s-w-a-f-w', raw);
      const snapshot$ = cold<JobSnapshot>('(s|)', { s: { ...waiting, state: 'active' } });
      const failure = () => cold('--(e|)', { e: error });
      const expected = '   Sr-s-w-a---(F|)';
      expectObservable(jobEventStream({ jobId: 'j', queue: 'q', live$, snapshot$, failure })).toBe(expected, {
        S: { type: 'state', jobId: 'j', state: 'active', attemptsMade: 0 },
        r: { type: 'failed', jobId: 'j', error, willRetry: true },
        s: { type: 'stalled', jobId: 'j' },
        w: { type: 'waiting', jobId: 'j' },
        a: { type: 'active', jobId: 'j', server: 'gpu1', promptId: 'p1', attempt: 1, reattached: false },
        F: { type: 'failed', jobId: 'j', error, willRetry: false },
      });
    });
  });

  it('a finished job: its state, then its final event, then completion (a late subscriber is never blind)', () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const live$ = hot<RawJobEvent>('-----');
      const snapshot$ = cold<JobSnapshot>('-(s|)', { s: { ...waiting, state: 'completed', attemptsMade: 1, returnvalue: result } });
      expectObservable(jobEventStream({ jobId: 'j', queue: 'q', live$, snapshot$, failure: () => [undefined] })).toBe('-(SC|)', {
        S: { type: 'state', jobId: 'j', state: 'completed', attemptsMade: 1 },
        C: { type: 'completed', jobId: 'j', result },
      });
    });
  });

  it('an unknown job errors with ComfyJobNotFoundError', () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const snapshot$ = cold<JobSnapshot>('-(s|)', { s: { ...waiting, state: 'unknown' } });
      expectObservable(jobEventStream({ jobId: 'j', queue: 'q', live$: hot<RawJobEvent>('---'), snapshot$, failure: () => [undefined] })).toBe('-#', undefined, new ComfyJobNotFoundError('j', 'q'));
    });
  });
});
