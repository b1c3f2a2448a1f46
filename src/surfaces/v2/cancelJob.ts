import { type Observable, type SchedulerLike, concatMap, from, last, map, of, takeWhile, timer } from 'rxjs';
import { CANCEL_VERIFY_DELAYS_MS } from '../../constants';
import type { CancelResult } from '../cancelResult';
import type { V2Http } from './v2Http';
import type { V2Job } from './wire';

/** What a job's status says of a cancelled prompt. */
export function cancelResultOf(promptId: string, job: V2Job | undefined): CancelResult {
  switch (job?.status) {
    case undefined:
      return { promptId, stopped: true, state: 'unknown' };
    case 'canceled':
      return { promptId, stopped: true, state: 'cancelled' };
    case 'succeeded':
    case 'failed':
      return { promptId, stopped: true, state: 'finished' };
    case 'expired':
      return { promptId, stopped: true, state: 'unknown' };
    case 'queued':
      return { promptId, stopped: false, state: 'queued' };
    default:
      return { promptId, stopped: false, state: 'running' };
  }
}

/**
 * `POST /api/v2/jobs/{id}/cancel`, then the job read again after each of `delays` until it is in a
 * terminal state: its answer (`canceling`) is not taken for a stop (comfy-api-proxy over ComfyUI
 * 0.8.0 answers it and lets the job run on). `expired` reads are re-read like any other.
 * ```text
 * cancel:  -c|              c = canceling
 * reads:      r|  x|          r = running, x = canceled (after each of the delays 2, 4 ms)
 * result:  -------(C|)        C = { stopped: true, state: 'cancelled' }
 * ```
 * @example cancelJobAndVerify(http, job.id, promptId, scheduler).subscribe((r) => r.stopped || log.warn('still running'))
 */
export function cancelJobAndVerify(http: Pick<V2Http, 'cancel' | 'job'>, jobId: string, promptId: string, scheduler: SchedulerLike, delays: readonly number[] = CANCEL_VERIFY_DELAYS_MS): Observable<CancelResult> {
  return http.cancel(jobId).pipe(
    concatMap((answer) => {
      const first = cancelResultOf(promptId, answer);
      if (first.stopped && answer.status !== 'expired') return of(first);
      return from(delays).pipe(
        concatMap((delay) => timer(delay, scheduler).pipe(concatMap(() => http.job(jobId)))),
        map((job) => ({ job, result: cancelResultOf(promptId, job) })),
        takeWhile(({ job, result }) => !result.stopped || job.status === 'expired', true),
        last(),
        map(({ result }) => result),
      );
    }),
  );
}
