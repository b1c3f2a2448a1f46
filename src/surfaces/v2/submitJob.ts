import { type Observable, type SchedulerLike, catchError, defer, map, throwError } from 'rxjs';
import { ComfyPromptLostError, ComfyRetriesExhaustedError } from '../../errors';
import type { Logger } from '../../log';
import { type RetryBudget, retryTransient } from '../../operators/retryTransient';
import { transientWait } from '../../transport/retryPolicy';
import { ComfyApiError } from './errors';
import type { V2Http } from './v2Http';
import type { V2Job, V2JobRequest } from './wire';

/** The `metadata` comfyui-rx submits a prompt with: how the job is found by the client's prompt id. */
export function promptMetadata(promptId: string): string {
  return `comfyui-rx:prompt=${promptId}`;
}

/** How {@link submitJob} retries. */
export interface SubmitJobOptions {
  /** Re-posts after a lost answer (no answer, 429, 5xx): the client's retry policy. */
  readonly policy: RetryBudget;
  readonly scheduler: SchedulerLike;
  readonly log: () => Logger;
  readonly random?: () => number;
  /** For the error when retries run out. */
  readonly url: string;
}

/**
 * Submits a job exactly once although answers get lost (the native client's exactly-once rule on
 * v2's own mechanism): every POST carries the same `Idempotency-Key` (the prompt id), so a POST
 * whose answer was lost (a reset, a timeout, a 429 or 5xx) is simply posted again after the
 * policy's backoff. Servers that keep keys single-use (comfy-api-proxy) answer the repeat with 422
 * `idempotency_key_reuse`: the first POST made the job, which is then found by the prompt id in
 * its `metadata` among the listed jobs and followed. Not found: `ComfyPromptLostError`.
 * ```text
 * post:    -#          # = the answer was lost after the server made the job
 * post:       -R       R = 422 idempotency_key_reuse (posted again after the backoff, 2 ms here)
 * jobs:         -l|    l = the job list, with our metadata
 * result:  -----j|     j = the job made by the first POST
 * ```
 * @example submitJob(http, { workflow, metadata: promptMetadata(id) }, id, { policy, scheduler, log, url })
 */
export function submitJob(http: Pick<V2Http, 'submit' | 'jobs'>, body: V2JobRequest & { metadata: string }, idempotencyKey: string, options: SubmitJobOptions): Observable<V2Job> {
  const { policy, scheduler, log, random, url } = options;
  const once = defer(() => http.submit(body, idempotencyKey)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof ComfyApiError && error.apiCode === 'idempotency_key_reuse')) return throwError(() => error);
      log().info({ idempotencyKey }, 'the server already has this submission (Idempotency-Key used): finding its job');
      return findByMetadata(http, body.metadata, idempotencyKey);
    }),
  );
  return once.pipe(
    retryTransient<V2Job>({
      policy,
      transient: transientWait,
      giveUp: (lastError, retries, elapsedMs, stop) => new ComfyRetriesExhaustedError('POST', url, retries, elapsedMs, stop, lastError),
      onRetry: ({ attempt, delayMs, error }) => log().debug({ attempt, delayMs, err: error }, 'POST /api/v2/jobs gave no answer: posting again with the same Idempotency-Key'),
      scheduler,
      ...(random ? { random } : {}),
    }),
  );
}

/** The newest job submitted with this metadata (`GET /api/v2/jobs?limit=100`). */
function findByMetadata(http: Pick<V2Http, 'jobs'>, metadata: string, promptId: string): Observable<V2Job> {
  return http.jobs({ limit: 100 }).pipe(
    map(({ jobs }) => {
      const job = jobs.find((candidate) => candidate.metadata === metadata);
      if (!job) throw new ComfyPromptLostError(promptId);
      return job;
    }),
  );
}

/** The job id of a prompt id (the v2 job itself when the id is one, else the newest job tagged with it), or undefined. */
export function locateJob(http: Pick<V2Http, 'job' | 'jobs'>, promptId: string): Observable<V2Job | undefined> {
  return http.jobs({ limit: 100 }).pipe(map(({ jobs }) => jobs.find((job) => job.id === promptId || job.metadata === promptMetadata(promptId))));
}
