import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { Logger } from '../../log';
import { backoffDelay } from '../../operators/reconnectWithBackoff';
import type { PromptEvent } from '../../prompt/events';
import { ComfyHttpError } from '../../errors';
import { nodeOutputsOf } from './outputs';
import type { V2StreamItem } from './v2Http';
import type { V2Job, V2Progress, V2StreamEvent } from './wire';

/** The waits of {@link followJob}, ms (defaults: `DEFAULT_FOLLOW_TIMING`). */
export interface FollowTiming {
  /** Silence of a running job (no stream event) before its job is read: every end is seen within this of it. */
  readonly endCheckMs: number;
  /**
   * Reads of a job that may be about to end (an `output` event came, or the stream is down), before
   * the `endCheckMs` cadence: a fast job's end missed by the stream is seen in tens of ms.
   */
  readonly nearEndMs: readonly number[];
  /** Reads of a queued job: first wait, doubled up to `max` while nothing changes (the stream reports the start). */
  readonly queuedCheckMs: { readonly initial: number; readonly max: number };
  /** Re-reads of a job read as over where it cannot be yet (`expired` right after `running`, or the stream's end not yet in the job). */
  readonly rereadMs: readonly number[];
  /** Reconnects of the event stream: first wait, doubled up to `max` (a 429's `Retry-After` is honoured). */
  readonly streamRetryMs: { readonly initial: number; readonly max: number };
  /** No byte at all on the stream (heartbeats included) for this long: it is dead, reconnect. */
  readonly streamSilenceMs: number;
  /** Silence while running before a `stalled` warning (repeats). */
  readonly stallWarnAfterMs: number;
}

export const DEFAULT_FOLLOW_TIMING: FollowTiming = {
  endCheckMs: 250,
  nearEndMs: [25, 50, 100, 200],
  queuedCheckMs: { initial: 1_000, max: 10_000 },
  rereadMs: [25, 50, 100, 200, 400, 800],
  streamRetryMs: { initial: 250, max: 5_000 },
  streamSilenceMs: 20_000,
  stallWarnAfterMs: 30_000,
};

/** What {@link followJob} reads. */
export interface FollowDeps {
  /** `GET /api/v2/jobs/{id}`: the source of truth. */
  readonly job: (jobId: string) => Observable<V2Job>;
  /** One connection to the job's event stream. */
  readonly events: (jobId: string) => Observable<V2StreamItem>;
  readonly scheduler: SchedulerLike;
  readonly timing: FollowTiming;
  readonly log: () => Logger;
  /** The class of a node of the submitted workflow (for `executing`). */
  readonly classOf: (node: string) => string | undefined;
  /** Turns an output's (maybe host-relative) link into a URL. */
  readonly resolve: (link: string) => string;
}

/** What {@link followJob} emits: live events, then the job as the server last read it, over. */
export type FollowSignal = PromptEvent | { readonly type: 'end'; readonly job: V2Job };

/**
 * Follows one v2 job to its end: its event stream for live events (`started`, `executing`,
 * `progress` that never goes backwards, `preview`, `executed`, `waiting`), and `GET` of the job as
 * the source of truth. The job is read when the stream says it ended, when the stream drops,
 * refuses (429: retried after `Retry-After`, read meanwhile) or ends, and after `endCheckMs` of
 * silence while it runs, so an end the stream misses is seen within `endCheckMs`; sooner
 * (`nearEndMs`: 25, 50, 100, 200 ms) once an `output` event says the end is near, or while the
 * stream is down (a queued job is read less often: the stream tells its start). A read that says the job is over where it
 * cannot be yet (`expired` right after `running`; still running after the stream's end) is read
 * again after each of `rereadMs` before it is believed. Emits `{type: 'end', job}` with a job in a
 * terminal state, then completes. Non-transient read errors (401, 403) fail it.
 * ```text
 * stream:  -o-p--p--------      o = open, p = progress; the stream misses the end
 * reads:   ------------r|       r = succeeded (read 250 ms after the last event)
 * result:  --sxp--p-----(e|)    s = started, x = executing, e = end
 * ```
 * @param first The job as the submission answered it (its `waiting` position, if any).
 * @example followJob(job.id, promptId, deps, job).subscribe(console.log)
 */
export function followJob(jobId: string, promptId: string, deps: FollowDeps, first?: V2Job): Observable<FollowSignal> {
  return new Observable<FollowSignal>((subscriber) => {
    const { scheduler, timing } = deps;
    let over = false;
    let started = false;
    let ahead: number | undefined;
    let node: string | undefined;
    let step = -1;
    let steps = 1;
    let overall = -1;
    let streamUp = false;
    let streamAttempt = 0;
    let queuedChecks = 0;
    /** Re-reads spent on a read that says "over" too early (or a stream end not yet in the job). */
    let rereads = 0;
    let confirming = false;
    let readAgain = false;
    /** Next of `nearEndMs` while the end may be near (`undefined`: the plain `endCheckMs` cadence). */
    let nearEnd: number | undefined;
    let lastActivity = scheduler.now();
    let nextStallAt = timing.stallWarnAfterMs;
    let stream: Subscription | undefined;
    let streamTimer: Subscription | undefined;
    let watchdog: Subscription | undefined;
    let checkTimer: Subscription | undefined;
    let reading: Subscription | undefined;

    const emit = (signal: FollowSignal) => subscriber.next(signal);
    const stopAll = () => {
      over = true;
      for (const sub of [stream, streamTimer, watchdog, checkTimer, reading]) sub?.unsubscribe();
    };
    const end = (job: V2Job) => {
      stopAll();
      emit({ type: 'end', job });
      subscriber.complete();
    };
    const fail = (error: unknown) => {
      stopAll();
      subscriber.error(error);
    };

    const markStarted = () => {
      if (started) return;
      started = true;
      emit({ type: 'started', promptId });
    };

    const onAhead = (position: number | null | undefined) => {
      if (started || position === null || position === undefined || position === ahead) return;
      ahead = position;
      queuedChecks = 0;
      emit({ type: 'waiting', ahead: position });
    };

    const onProgress = (progress: V2Progress) => {
      const current = progress.current_node ?? undefined;
      if (current !== undefined && current !== node) {
        node = current;
        step = -1;
        steps = 1;
        emit({ type: 'executing', node, classType: deps.classOf(node) });
      }
      const stepUp = current !== undefined && typeof progress.step === 'number' && progress.step > step;
      if (!stepUp && !(progress.value > overall)) return; // never backwards, never twice the same
      overall = Math.max(overall, progress.value);
      if (stepUp) {
        step = progress.step as number;
        if (progress.steps) steps = progress.steps;
      }
      const value = Math.max(step, 0);
      emit({ type: 'progress', node, value, max: steps, percent: (100 * value) / steps, overall: Math.min(1, Math.max(0, overall)) });
    };

    const onJob = (job: V2Job) => {
      switch (job.status) {
        case 'succeeded':
        case 'failed':
        case 'canceled':
          end(job);
          return;
        case 'expired':
          // The proxy reads /history then /queue: a job that ends between the two reads is in neither.
          if (rereads < timing.rereadMs.length) {
            schedule(timing.rereadMs[rereads++]);
            return;
          }
          end(job);
          return;
        case 'queued':
          onAhead(job.queue_position);
          break;
        case 'running':
        case 'canceling':
          markStarted();
          if (job.progress) onProgress(job.progress);
          break;
      }
      if (confirming && rereads < timing.rereadMs.length) {
        schedule(timing.rereadMs[rereads++]); // the stream said it ended; the job does not show it yet
        return;
      }
      confirming = false;
      rereads = 0;
      schedule();
    };

    const read = () => {
      checkTimer?.unsubscribe();
      if (over) return;
      if (reading && !reading.closed) {
        readAgain = true;
        return;
      }
      const sub = deps.job(jobId).subscribe({
        next: (job) => onJob(job),
        error: (error: unknown) => {
          if (over) return;
          if (error instanceof ComfyHttpError && error.status === 404) {
            onJob(lostJob(jobId, first));
            return;
          }
          if (error instanceof ComfyHttpError && error.status >= 400 && error.status < 500 && error.status !== 429) {
            fail(error);
            return;
          }
          deps.log().warn({ err: error, jobId }, 'reading the job failed; the next check asks again');
          schedule();
        },
        complete: () => {
          if (readAgain && !over) {
            readAgain = false;
            read();
          }
        },
      });
      if (!sub.closed) reading = sub;
    };

    /** Arms the next read: `delay` when given, else the cadence of the job's phase. */
    function schedule(delay?: number): void {
      if (over) return;
      checkTimer?.unsubscribe();
      const wait = delay ?? cadence();
      checkTimer = scheduler.schedule(() => {
        const silentMs = scheduler.now() - lastActivity;
        if (started && silentMs >= nextStallAt) {
          nextStallAt += timing.stallWarnAfterMs;
          deps.log().warn({ jobId, silentMs }, 'job silent');
          emit({ type: 'stalled', silentMs });
        }
        read();
      }, wait);
    }

    function cadence(): number {
      if (nearEnd !== undefined && nearEnd < timing.nearEndMs.length && (started || !streamUp)) return timing.nearEndMs[nearEnd++] as number;
      if (started) return timing.endCheckMs;
      if (!streamUp && ahead !== undefined && ahead <= 1) return timing.endCheckMs;
      const { initial, max } = timing.queuedCheckMs;
      const base = streamUp ? initial : Math.min(initial, timing.endCheckMs * 2);
      return Math.min(max, base * 2 ** queuedChecks++);
    }

    const onStreamEvent = (event: V2StreamEvent) => {
      lastActivity = scheduler.now();
      nextStallAt = timing.stallWarnAfterMs;
      switch (event.event) {
        case 'status': {
          const { status } = event.data;
          if (status === 'queued') onAhead(event.data.queue_position);
          else if (status === 'running' || status === 'canceling') markStarted();
          else {
            confirming = true;
            read();
            return;
          }
          break;
        }
        case 'progress':
          markStarted();
          nearEnd = streamUp ? undefined : nearEnd;
          onProgress(event.data);
          break;
        case 'preview':
          markStarted();
          emit({ type: 'preview', ...(event.data.node_id ? { node: event.data.node_id } : {}), mime: event.data.content_type, data: Buffer.from(event.data.data_base64, 'base64') });
          break;
        case 'output':
          markStarted();
          nearEnd = 0; // the output node ran: the end is near

          emit({ type: 'executed', node: event.data.node_id, output: nodeOutputsOf([event.data], deps.resolve)[event.data.node_id] ?? null });
          break;
        case 'unknown':
          return;
      }
      if (!confirming) schedule();
    };

    const armWatchdog = () => {
      watchdog?.unsubscribe();
      watchdog = scheduler.schedule(() => {
        deps.log().info({ jobId, silentMs: timing.streamSilenceMs }, 'event stream silent; reconnecting');
        stream?.unsubscribe();
        streamUp = false;
        connect();
      }, timing.streamSilenceMs);
    };

    const reconnectLater = (retryAfterMs = 0) => {
      streamUp = false;
      nearEnd = 0; // no stream to tell the end: read soon, then less often
      watchdog?.unsubscribe();
      if (over) return;
      const delay = Math.max(retryAfterMs, backoffDelay(++streamAttempt, { initialDelayMs: timing.streamRetryMs.initial, maxDelayMs: timing.streamRetryMs.max, maxAttempts: Number.POSITIVE_INFINITY, jitter: 0 }));
      streamTimer = scheduler.schedule(() => connect(), delay);
      read(); // the stream is down: the job is the only news
    };

    function connect(): void {
      if (over) return;
      armWatchdog();
      stream = deps.events(jobId).subscribe({
        next: (item) => {
          armWatchdog();
          if (item.type === 'open') {
            streamUp = true;
            streamAttempt = 0;
          } else if (item.type === 'event') onStreamEvent(item.event);
        },
        error: (error: unknown) => {
          if (over) return;
          deps.log().debug({ err: error, jobId }, 'event stream failed');
          reconnectLater(error instanceof ComfyHttpError ? error.retryAfterMs : undefined);
        },
        complete: () => {
          if (!over) reconnectLater();
        },
      });
    }

    if (first) onJob(first);
    if (!over) {
      connect();
      if (!checkTimer || checkTimer.closed) schedule();
    }
    return stopAll;
  });
}

/** A job the server no longer has (404): read as `expired`, believed after the re-reads. */
function lostJob(jobId: string, first: V2Job | undefined): V2Job {
  return { ...(first ?? { urls: { self: '', events: '', cancel: '' }, outputs: [] }), id: jobId, status: 'expired', outputs: [], error: null } as V2Job;
}
