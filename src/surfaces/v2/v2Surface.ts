import { AsyncSubject, type Observable, type SchedulerLike, catchError, concat, concatMap, defer, map, of, throwError } from 'rxjs';
import { ComfyExecutionError, ComfyHttpError, ComfyInterruptedError, ComfyOptionsError, ComfyInvalidPromptError, ComfyPromptLostError, ComfyTimeoutError } from '../../errors';
import type { Logger } from '../../log';
import { deadline } from '../../operators/deadline';
import { onAbandon } from '../../operators/onAbandon';
import type { RetryBudget } from '../../operators/retryTransient';
import { Workflow } from '../../protocol/api';
import type { DoneEvent, PromptEvent } from '../../prompt/events';
import { previewPolicy, previewPolicyOption } from '../../prompt/previewPolicy';
import { promptIdOption } from '../../prompt/promptIdOption';
import type { RunOptions } from '../../prompt/runOptions';
import type { WatchOptions } from '../../prompt/watchPrompt';
import { formatIssues } from '../../util/formatIssues';
import { lazy } from '../../util/lazy';
import type { CancelResult } from '../cancelResult';
import { cancelJobAndVerify } from './cancelJob';
import { type FollowDeps, type FollowSignal, type FollowTiming, followJob } from './followJob';
import { nodeOutputsOf } from './outputs';
import { locateJob, promptMetadata, submitJob } from './submitJob';
import type { V2Http } from './v2Http';
import type { V2Job } from './wire';

/** What the v2 surface of a client needs. */
export interface V2SurfaceDeps {
  readonly http: V2Http;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  newPromptId(): string;
  readonly timing: FollowTiming;
  readonly timeoutMs?: number;
  /** Re-posts of a submission whose answer was lost. */
  readonly retry: RetryBudget;
  /** The client's key for partner (API) nodes: `extra_data.api_key_comfy_org` of every job (a function: the key never sits in a field anyone could print). */
  readonly partnerKey?: () => string | undefined;
  /** Delays of the checks after a cancel (default `CANCEL_VERIFY_DELAYS_MS`). */
  readonly cancelVerifyMs?: readonly number[];
}

/** Prompt ids this process remembers the job of (older ones are found through the job list). */
const REMEMBERED_JOBS = 10_000;

/** Run options the Comfy API v2 has no equivalent for. */
const NATIVE_ONLY_OPTIONS = ['number', 'front', 'partialExecutionTargets'] as const;

/**
 * The Comfy API v2 behind the client contract: `run`, `watch` and `cancel` with the same events,
 * errors and cancellation as the native surface. The client's prompt id is the submission's
 * `Idempotency-Key` and is carried in the job's `metadata`; events name the prompt id, `queued` and
 * `done` also the server's `jobId`.
 */
export class V2Surface {
  private readonly jobIds = new Map<string, string>();

  constructor(private readonly deps: V2SurfaceDeps) {}

  /**
   * One prompt as a v2 job (see `ComfyClient.run`): submitted exactly once (`submitJob`), followed
   * with its event stream and reads of the job (`followJob`), its outputs as `done.outputs` (with
   * their content URLs). Unsubscribing before the end cancels the job and checks that it stopped: a
   * job still running after the checks is logged as a warning, never taken for cancelled.
   */
  run(workflow: unknown, options: RunOptions = {}): Observable<PromptEvent> {
    return defer(() => {
      const checked = Workflow.safeParse(workflow);
      if (!checked.success) {
        const where = formatIssues(checked.error.issues);
        return throwError(() => new ComfyInvalidPromptError(`Invalid workflow: ${where}`, where, checked.error.issues));
      }
      const unsupported = NATIVE_ONLY_OPTIONS.filter((name) => options[name] !== undefined);
      if (unsupported.length) throw new ComfyOptionsError(`Run option${unsupported.length > 1 ? 's' : ''} ${unsupported.join(', ')} not available on the Comfy API v2 (native ComfyUI only)`);
      const graph = checked.data;
      const previews = previewPolicyOption(options.previews);
      const { scheduler, http } = this.deps;
      const promptId = promptIdOption(options.promptId) ?? this.deps.newPromptId();
      const log = lazy(() => this.deps.logger.child({ promptId }));
      const startedAt = scheduler.now();
      const timeoutMs = options.timeoutMs ?? this.deps.timeoutMs;
      const dropped = Object.keys(options.extraData ?? {}).filter((key) => key !== 'api_key_comfy_org');
      if (dropped.length) log().debug({ keys: dropped }, 'extra_data keys the Comfy API v2 does not take are left out');
      const partnerKey = options.apiKey ?? stringOrUndefined(options.extraData?.api_key_comfy_org) ?? this.deps.partnerKey?.();
      const body = { workflow: workflow as Record<string, unknown>, metadata: promptMetadata(promptId), ...(partnerKey ? { extra_data: { api_key_comfy_org: partnerKey } } : {}) };

      // The submission runs on a subscription of its own: unsubscribing does not abort it, so a cancel can follow it.
      const answer = new AsyncSubject<V2Job>();
      submitJob(http, body, promptId, { policy: this.deps.retry, scheduler, log, url: http.resolve('jobs') }).subscribe(answer);
      const follow = this.followDeps((node) => graph[node]?.class_type, log);
      const signals$ = answer.pipe(
        concatMap((job) => {
          this.remember(promptId, job.id);
          const queued: PromptEvent = { type: 'queued', promptId, number: job.queue_position ?? 0, nodeErrors: {}, jobId: job.id };
          return concat(of(queued), followJob(job.id, promptId, follow, job));
        }),
        onAbandon({ reached: (signal: FollowSignal) => signal.type === 'end', action: () => this.abandon(answer, promptId, log) }),
      );
      const life$ = signals$.pipe(concatMap((signal) => (signal.type === 'end' ? of(this.finish(promptId, signal.job, startedAt)) : of(signal))));
      const bounded$ = timeoutMs === undefined ? life$ : life$.pipe(deadline({ budgetMs: timeoutMs, makeError: () => new ComfyTimeoutError(promptId, timeoutMs), scheduler }));
      return bounded$.pipe(previewPolicy(previews, scheduler));
    });
  }

  /**
   * A prompt submitted earlier (by this process, or another: found by its job id or by the prompt
   * id in the jobs' metadata), followed to its end like `run`. Unknown: `ComfyPromptLostError`.
   * Unsubscribing cancels it only with `cancelOnUnsubscribe`.
   */
  watch(promptId: string, options: WatchOptions = {}): Observable<PromptEvent> {
    return defer(() => {
      const { scheduler } = this.deps;
      const previews = previewPolicyOption(options.previews);
      const log = lazy(() => this.deps.logger.child({ promptId }));
      const startedAt = scheduler.now();
      const timeoutMs = options.timeoutMs ?? this.deps.timeoutMs;
      const timing = options.stallWarnAfterMs ? { ...this.deps.timing, stallWarnAfterMs: options.stallWarnAfterMs } : this.deps.timing;
      const follow = { ...this.followDeps(() => undefined, log), timing };
      const job$ = this.findJob(promptId);
      const signals$ = job$.pipe(
        concatMap((job) => (job ? followJob(job.id, promptId, follow, job) : throwError(() => new ComfyPromptLostError(promptId)))),
        onAbandon({
          reached: (signal: FollowSignal) => signal.type === 'end',
          action: () => {
            if (options.cancelOnUnsubscribe) this.abandon(job$, promptId, log);
          },
        }),
      );
      const life$ = signals$.pipe(map((signal) => (signal.type === 'end' ? this.finish(promptId, signal.job, startedAt) : signal)));
      const bounded$ = timeoutMs === undefined ? life$ : life$.pipe(deadline({ budgetMs: timeoutMs, makeError: () => new ComfyTimeoutError(promptId, timeoutMs), scheduler }));
      return bounded$.pipe(previewPolicy(previews, scheduler));
    });
  }

  /** Cancels a prompt (by prompt id or job id) and checks that it stopped (see `cancelJobAndVerify`). */
  cancel(promptId: string): Observable<CancelResult> {
    return this.findJob(promptId).pipe(
      concatMap((job) =>
        job ? cancelJobAndVerify(this.deps.http, job.id, promptId, this.deps.scheduler, this.deps.cancelVerifyMs) : of<CancelResult>({ promptId, stopped: true, state: 'unknown' }),
      ),
    );
  }

  /** Where a prompt (by prompt id or job id) stands: its job's status as `queued`, `running`, `finished`, or `unknown`. */
  state(promptId: string): Observable<'queued' | 'running' | 'finished' | 'unknown'> {
    return this.findJob(promptId).pipe(
      map((job) => {
        switch (job?.status) {
          case 'queued':
            return 'queued';
          case 'running':
          case 'canceling':
            return 'running';
          case 'succeeded':
          case 'failed':
          case 'canceled':
            return 'finished';
          default:
            return 'unknown';
        }
      }),
    );
  }

  /** The job of a prompt id: remembered, the id itself a job id, or tagged with it in the job list. */
  private findJob(promptId: string): Observable<V2Job | undefined> {
    const { http } = this.deps;
    const known = this.jobIds.get(promptId);
    if (known) return http.job(known);
    return http.job(promptId).pipe(catchError((error: unknown) => (error instanceof ComfyHttpError && error.status === 404 ? locateJob(http, promptId) : throwError(() => error))));
  }

  private followDeps(classOf: (node: string) => string | undefined, log: () => Logger): FollowDeps {
    const { http } = this.deps;
    return {
      job: (id) => http.job(id),
      events: (id) => http.events(id),
      scheduler: this.deps.scheduler,
      timing: this.deps.timing,
      log,
      classOf,
      resolve: (link) => http.resolve(link),
    };
  }

  /** Left before the end: cancel the job once submitted, check that it stopped, and say so in the log. */
  private abandon(job$: Observable<V2Job | undefined>, promptId: string, log: () => Logger): void {
    job$
      .pipe(concatMap((job) => (job ? cancelJobAndVerify(this.deps.http, job.id, promptId, this.deps.scheduler, this.deps.cancelVerifyMs) : of(undefined))))
      .subscribe({
        next: (result) => {
          if (!result) return;
          if (result.state === 'cancelled') log().info('cancelled on the server');
          else if (result.stopped) log().info({ state: result.state }, 'left before its end; it ended on its own');
          else log().warn({ state: result.state }, 'cancel did not stop the job: the server still runs it (comfy-api-proxy over ComfyUI 0.8.0 ignores cancels)');
        },
        error: (err: unknown) => log().warn({ err }, 'cancel failed: the job may still run on the server'),
      });
  }

  private finish(promptId: string, job: V2Job, startedAt: number): DoneEvent {
    const { http, scheduler } = this.deps;
    switch (job.status) {
      case 'succeeded':
        return { type: 'done', promptId, outputs: nodeOutputsOf(job.outputs, (link) => http.resolve(link)), elapsedMs: scheduler.now() - startedAt, jobId: job.id };
      case 'failed': {
        const error = job.error;
        const traceback = typeof error?.traceback === 'string' ? [error.traceback] : (error?.traceback ?? []);
        throw new ComfyExecutionError(promptId, error?.node_id ?? '', error?.class_type ?? '', error?.message ?? 'the job failed', error?.code ?? 'failed', traceback);
      }
      case 'canceled':
        throw new ComfyInterruptedError(promptId, job.error?.node_id ?? undefined, job.error?.class_type ?? undefined);
      default:
        throw new ComfyPromptLostError(promptId);
    }
  }

  private remember(promptId: string, jobId: string): void {
    if (this.jobIds.size >= REMEMBERED_JOBS) this.jobIds.delete(this.jobIds.keys().next().value as string);
    this.jobIds.set(promptId, jobId);
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
