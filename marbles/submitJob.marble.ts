import pino from 'pino';
import { type Observable, defer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyConnectionError, ComfyPromptLostError } from '../src/errors';
import { cancelJobAndVerify } from '../src/surfaces/v2/cancelJob';
import { ComfyApiError } from '../src/surfaces/v2/errors';
import { promptMetadata, submitJob } from '../src/surfaces/v2/submitJob';
import type { V2Job, V2JobList, V2JobStatus } from '../src/surfaces/v2/wire';
import { newTestScheduler } from './helpers/testScheduler';

const log = () => pino({ level: 'silent' });
const policy = { initialDelayMs: 2, maxDelayMs: 8, maxAttempts: 3, jitter: 0, budgetMs: 100 };
const job = (id: string, status: V2JobStatus = 'queued', metadata?: string): V2Job => ({
  id,
  status,
  queue_position: null,
  progress: null,
  outputs: [],
  error: null,
  urls: { self: '', events: '', cancel: '' },
  ...(metadata ? { metadata } : {}),
});
const lost = new ComfyConnectionError('socket hang up', 'http://x/api/v2/jobs');
const reuse = new ComfyApiError(422, 'POST', 'http://x/api/v2/jobs', 'idempotency_key_reuse', { apiCode: 'idempotency_key_reuse' });
const body = { workflow: {}, metadata: promptMetadata('p1') };

function sequence<T>(answers: readonly Observable<T>[]): () => Observable<T> {
  let call = 0;
  return () => defer(() => answers[Math.min(call++, answers.length - 1)] as Observable<T>);
}

describe('submitJob', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('a lost answer is posted again with the same key; the reuse answer finds the job by its metadata', () => {
    ts.run(({ cold, expectObservable }) => {
      const keys: string[] = [];
      const posts = sequence([cold<V2Job>('-#', undefined, lost), cold<V2Job>('-#', undefined, reuse)]);
      const list = cold<V2JobList>('-(l|)', { l: { jobs: [job('other', 'queued', promptMetadata('p0')), job('mine', 'queued', promptMetadata('p1'))] } });
      const http = { submit: (_body: unknown, key: string) => (keys.push(key), posts()), jobs: () => list };
      expectObservable(submitJob(http, body, 'p1', { policy, scheduler: ts, log, url: 'http://x/api/v2/jobs' })).toBe('-----(j|)', { j: job('mine', 'queued', promptMetadata('p1')) });
      ts.flush();
      expect(keys).toEqual(['p1', 'p1']);
    });
  });

  it('a reused key whose job is not listed is ComfyPromptLostError', () => {
    ts.run(({ cold, expectObservable }) => {
      const http = { submit: () => cold<V2Job>('-#', undefined, reuse), jobs: () => cold<V2JobList>('(l|)', { l: { jobs: [] } }) };
      expectObservable(submitJob(http, body, 'p1', { policy, scheduler: ts, log, url: 'u' })).toBe('-#', undefined, new ComfyPromptLostError('p1'));
    });
  });
});

describe('cancelJobAndVerify', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it("does not take `canceling` for a stop: reads until the job is canceled", () => {
    ts.run(({ cold, expectObservable }) => {
      const reads = sequence([cold('(r|)', { r: job('j', 'running') }), cold('(c|)', { c: job('j', 'canceled') })]);
      const http = { cancel: () => cold('-(c|)', { c: job('j', 'canceling') }), job: reads };
      expectObservable(cancelJobAndVerify(http, 'j', 'p1', ts, [2, 4, 8])).toBe('-------(r|)', { r: { promptId: 'p1', stopped: true, state: 'cancelled' } });
    });
  });

  it('a job still running after every check is reported as running (the cancel did nothing)', () => {
    ts.run(({ cold, expectObservable }) => {
      const http = { cancel: () => cold('(c|)', { c: job('j', 'canceling') }), job: () => cold('(r|)', { r: job('j', 'running') }) };
      expectObservable(cancelJobAndVerify(http, 'j', 'p1', ts, [2, 4])).toBe('------(r|)', { r: { promptId: 'p1', stopped: false, state: 'running' } });
    });
  });
});
