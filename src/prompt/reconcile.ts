import { type Observable, type SchedulerLike, catchError, concatMap, map, of, throwError, timer } from 'rxjs';
import { HistoryEntry, HistoryStatus, type Job, type QueueItem, type QueueResponse } from '../protocol/api';
import type { JobLookup } from '../transport/http';

/** What the server says of a prompt we follow (docs/protocol.md rule 4). */
export type ReconcileVerdict =
  /** Waiting in the queue with `ahead` prompts before it (the running one included); `number`: its queue number. */
  | { readonly kind: 'pending'; readonly ahead: number; readonly number?: number }
  | { readonly kind: 'running'; readonly number?: number }
  | { readonly kind: 'finished'; readonly entry: HistoryEntry }
  /** Neither queued, running nor in history, twice: the server lost it. */
  | { readonly kind: 'lost' };

export interface ReconcileSources {
  /** A fresh `/queue` snapshot (callers may coalesce concurrent reads into one request). */
  queue$: Observable<QueueResponse>;
  history(promptId: string): Observable<HistoryEntry | undefined>;
  /** `GET /api/jobs/{id}` (`ComfyHttp.job`), when the client may use it; it answers `unsupported` on older servers. */
  job?(promptId: string): Observable<JobLookup>;
  /** Wait before the confirming re-check of a prompt found nowhere. */
  recheckDelayMs: number;
  scheduler: SchedulerLike;
}

/** One look at the server: a verdict, or `undefined` when the prompt is nowhere. */
type Look = Observable<ReconcileVerdict | undefined>;

/**
 * Checks one prompt against the server, never depending on one source:
 * 1. `/api/jobs/{id}` where the server has it (one call: history, running, pending, in that
 *    order, read at one instant by the server); a pending job's place comes from `/queue`;
 * 2. otherwise, or when that call fails, `/queue` then `/history/{id}` (in that order: the server
 *    writes the history entry before it drops the prompt from the running list, so a prompt
 *    cannot slip between the two reads);
 * 3. when `/queue` cannot be read (a 5xx past the retries, a body nobody can parse),
 *    `/history/{id}` alone still decides a finished prompt; only "not finished" stays undecided
 *    (the queue's error).
 * A prompt found nowhere is checked once more after `recheckDelayMs` before it is declared lost.
 */
export function reconcilePrompt(promptId: string, sources: ReconcileSources): Observable<ReconcileVerdict> {
  const once = (): Look => (sources.job ? viaJobs(promptId, sources, sources.job) : viaQueueAndHistory(promptId, sources));
  return once().pipe(
    concatMap((verdict) =>
      verdict
        ? of(verdict)
        : timer(sources.recheckDelayMs, sources.scheduler).pipe(
            concatMap(once),
            map((second): ReconcileVerdict => second ?? { kind: 'lost' }),
          ),
    ),
  );
}

function viaJobs(promptId: string, sources: ReconcileSources, job: (promptId: string) => Observable<JobLookup>): Look {
  return job(promptId).pipe(
    catchError(() => of<JobLookup>({ kind: 'unsupported' })), // this time only: the other sources decide
    concatMap((lookup): Look => {
      if (lookup.kind === 'unsupported') return viaQueueAndHistory(promptId, sources);
      if (lookup.kind === 'unknown') return of(undefined);
      switch (lookup.job.status) {
        case 'in_progress':
          return of({ kind: 'running', ...(lookup.job.priority === undefined ? {} : { number: lookup.job.priority }) });
        case 'pending':
          return sources.queue$.pipe(map((queue) => placeInQueue(promptId, queue) ?? { kind: 'running' }));
        case 'completed':
        case 'failed':
        case 'cancelled': {
          const entry = jobHistoryEntry(lookup.job);
          return entry ? of({ kind: 'finished', entry }) : finishedFromHistory(promptId, sources);
        }
        default:
          return viaQueueAndHistory(promptId, sources); // a state this version does not know
      }
    }),
  );
}

function viaQueueAndHistory(promptId: string, sources: ReconcileSources): Look {
  return sources.queue$.pipe(
    map((queue) => ({ place: placeInQueue(promptId, queue) })),
    catchError((queueError: unknown) => of({ queueError })),
    concatMap((read): Look => {
      if ('queueError' in read) {
        // /queue unreadable: history alone still tells a finished prompt; anything else stays undecided
        return sources.history(promptId).pipe(concatMap((entry): Look => (entry ? of({ kind: 'finished', entry }) : throwError(() => read.queueError))));
      }
      return read.place ? of(read.place) : finishedFromHistory(promptId, sources);
    }),
  );
}

function finishedFromHistory(promptId: string, sources: ReconcileSources): Look {
  return sources.history(promptId).pipe(map((entry) => (entry ? ({ kind: 'finished', entry } as const) : undefined)));
}

/** A finished job as the history entry it was made from (`undefined` if the job lacks its parts). */
export function jobHistoryEntry(job: Job): HistoryEntry | undefined {
  if (job.outputs === undefined) return undefined;
  const status = HistoryStatus.safeParse(job.execution_status); // `{}` on very old entries: no status
  const parsed = HistoryEntry.safeParse({
    prompt: [job.priority ?? 0, job.id, job.workflow?.prompt ?? {}, job.workflow?.extra_data ?? {}, []],
    outputs: job.outputs,
    ...(status.success ? { status: status.data } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}

/** Where a prompt stands in a `/queue` answer (pending order is the server's heap key: number, then id). */
export function placeInQueue(promptId: string, queue: QueueResponse): ReconcileVerdict | undefined {
  const running = queue.queue_running.find((item) => item[1] === promptId);
  if (running) return { kind: 'running', number: running[0] };
  const mine = queue.queue_pending.find((item) => item[1] === promptId);
  if (!mine) return undefined;
  const before = (item: QueueItem) => item[0] < mine[0] || (item[0] === mine[0] && item[1] < mine[1]);
  return { kind: 'pending', ahead: queue.queue_running.length + queue.queue_pending.filter(before).length, number: mine[0] };
}
