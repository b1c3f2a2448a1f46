import pino from 'pino';
import { type Observable, defer, map } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyRateLimitError } from '../src/surfaces/v2/errors';
import { type FollowSignal, type FollowTiming, followJob } from '../src/surfaces/v2/followJob';
import type { V2StreamItem } from '../src/surfaces/v2/v2Http';
import type { V2Job, V2JobStatus, V2Progress } from '../src/surfaces/v2/wire';
import { newTestScheduler } from './helpers/testScheduler';

const log = () => pino({ level: 'silent' });
const timing: FollowTiming = {
  endCheckMs: 5,
  nearEndMs: [2],
  queuedCheckMs: { initial: 20, max: 40 },
  rereadMs: [3, 6],
  streamRetryMs: { initial: 4, max: 8 },
  streamSilenceMs: 100,
  stallWarnAfterMs: 1_000,
};

const job = (status: V2JobStatus, extra: Partial<V2Job> = {}): V2Job => ({
  id: 'job-1',
  status,
  queue_position: null,
  progress: null,
  outputs: [],
  error: null,
  urls: { self: '/api/v2/jobs/job-1', events: '/api/v2/jobs/job-1/events', cancel: '/api/v2/jobs/job-1/cancel' },
  ...extra,
});
const progress = (value: number, node: string, step: number, steps: number): V2Progress => ({ value, nodes_done: 0, nodes_total: 2, current_node: node, step, steps });
const items: Record<string, V2StreamItem> = {
  o: { type: 'open' },
  r: { type: 'event', event: { event: 'status', data: { status: 'running' } } },
  t: { type: 'event', event: { event: 'status', data: { status: 'succeeded' } } },
  p: { type: 'event', event: { event: 'progress', data: progress(0.5, '2', 1, 4) } },
  q: { type: 'event', event: { event: 'progress', data: progress(0.3, '3', 0, 1) } },
  u: { type: 'event', event: { event: 'progress', data: progress(0.3, '3', 0, 1) } },
  x: { type: 'event', event: { event: 'output', data: { node_id: '3', name: 'a.png', type: 'image', content_type: 'image/png', size_bytes: 0, id: 'asset-1', hash: null, url: '/api/v2/assets/asset-1/content' } } },
};
const jobs: Record<string, V2Job> = { s: job('succeeded'), x: job('expired'), r: job('running'), q: job('queued', { queue_position: 2 }) };

/** Signals as letters: s started, x executing, p progress, w waiting, e end (its job's status in the value). */
const letter = (signal: FollowSignal): string => ({ started: 's', executing: 'x', progress: 'p', waiting: 'w', end: 'e' } as Record<string, string>)[signal.type] ?? signal.type;

function follow(ts: TestScheduler, events: () => Observable<V2StreamItem>, reads: readonly Observable<V2Job>[], first?: V2Job) {
  let read = 0;
  return followJob('job-1', 'prompt-1', {
    job: () => defer(() => reads[Math.min(read++, reads.length - 1)] as Observable<V2Job>),
    events,
    scheduler: ts,
    timing,
    log,
    classOf: (node) => (node === '2' ? 'KSampler' : undefined),
    resolve: (link) => link,
  }, first);
}

describe('followJob', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('a stream that misses the end: the job is read after endCheckMs of silence and the end is seen then', () => {
    ts.run(({ cold, expectObservable }) => {
      const events = cold<V2StreamItem>('o-p', items);
      const result = follow(ts, () => events, [cold('(j|)', { j: jobs.s })]).pipe(map(letter));
      expectObservable(result).toBe('--(sxp)(e|)'); // p at 2, read at 2 + 5
    });
  });

  it('an output event says the end is near: the job is read after nearEndMs, not endCheckMs', () => {
    ts.run(({ cold, expectObservable }) => {
      const events = cold<V2StreamItem>('o-p-----x', items);
      const result = follow(ts, () => events, [cold('(r|)', jobs), cold('(s|)', jobs)]).pipe(map((signal) => (signal.type === 'executed' ? 'o' : letter(signal))));
      expectObservable(result).toBe('--(sxp)-o-(e|)'); // read at 7 (silence: running), output at 8, read at 8 + 2 (not 7 + 5)
    });
  });

  it("distrusts `expired` right after `running`: re-reads, and the next read's succeeded stands", () => {
    ts.run(({ cold, expectObservable }) => {
      const events = cold<V2StreamItem>('or', items);
      const result = follow(ts, () => events, [cold('(x|)', jobs), cold('(s|)', jobs)]).pipe(map((signal) => (signal.type === 'end' ? signal.job.status[0] : letter(signal))));
      expectObservable(result).toBe('-s 7ms (s|)'); // read at 6 (expired), re-read 3 ms later
    });
  });

  it('progress never goes backwards: a later node starts lower, an equal snapshot adds nothing', () => {
    ts.run(({ cold, expectObservable }) => {
      const events = cold<V2StreamItem>('o-p------q------u------t', items);
      const reads = [cold('(r|)', jobs), cold('(r|)', jobs), cold('(r|)', jobs), cold('(s|)', jobs)];
      const overall = follow(ts, () => events, reads).pipe(map((signal) => (signal.type === 'progress' ? String(signal.overall) : letter(signal))));
      expectObservable(overall).toBe('--(sxa)--(xa) 10ms (e|)', { s: 's', x: 'x', a: '0.5', e: 'e' }); // node 3 starts at 0.3: shown as 0.5
    });
  });

  it('a 429 on the stream: the job is read meanwhile, the stream retried after Retry-After', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const refused = cold<V2StreamItem>('#', undefined, new ComfyRateLimitError(429, 'GET', 'http://x/api/v2/jobs/job-1/events', 'too_many_streams', {}, 10));
      const accepted = cold<V2StreamItem>('o-t', items);
      let calls = 0;
      const result = follow(ts, () => (++calls === 1 ? refused : accepted), [cold('(r|)', jobs), cold('(r|)', jobs), cold('(r|)', jobs), cold('(s|)', jobs)]).pipe(map(letter));
      expectObservable(result).toBe('s 11ms (e|)');
      expectSubscriptions(accepted.subscriptions).toBe('10ms ^-!');
    });
  });

  it('a dropped stream: the job is read at once and the stream reconnected after the backoff', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const dropped = cold<V2StreamItem>('or#', items, new Error('socket hang up'));
      const again = cold<V2StreamItem>('o-t', items);
      let calls = 0;
      const reads = [cold('(r|)', jobs), cold('(r|)', jobs), cold('(s|)', jobs)];
      const result = follow(ts, () => (++calls === 1 ? dropped : again), reads).pipe(map(letter));
      expectObservable(result).toBe('-s 6ms (e|)'); // drop at 2: read at once and 2 ms later (running); reconnected at 2 + 4; its end at 8
      expectSubscriptions(again.subscriptions).toBe('6ms ^-!');
    });
  });

  it('a stream silent past streamSilenceMs (not even a heartbeat) is taken for dead and opened again', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const silent = cold<V2StreamItem>('o', items);
      const again = cold<V2StreamItem>('o-t', items);
      let calls = 0;
      const reads = [cold('(q|)', jobs), cold('(q|)', jobs), cold('(q|)', jobs), cold('(s|)', jobs)];
      const result = follow(ts, () => (++calls === 1 ? silent : again), reads, jobs.q).pipe(map(letter));
      expectSubscriptions(silent.subscriptions).toBe('^ 99ms !');
      expectSubscriptions(again.subscriptions).toBe('100ms ^-!');
      expectObservable(result).toBe('w 101ms (e|)');
    });
  });

  it('a queued job reports its place, and is read less often while its stream is up', () => {
    ts.run(({ cold, expectObservable }) => {
      const events = cold<V2StreamItem>('o', items);
      const reads = [cold('(q|)', jobs), cold('(q|)', jobs), cold('(s|)', jobs)];
      const result = follow(ts, () => events, reads, jobs.q).pipe(map(letter));
      expectObservable(result).toBe('w 89ms (e|)'); // reads at 10 (stream not up yet), 50 (20 x 2), 90 (capped at 40)
    });
  });
});
