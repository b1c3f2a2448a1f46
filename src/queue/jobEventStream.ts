import { EMPTY, Observable, type ObservableInput, concat, concatMap, from, of, takeWhile, throwError } from 'rxjs';
import { z } from 'zod';
import { ComfyJobDataError, ComfyJobNotFoundError } from './errors';
import { JobResult, SerializedError } from './jobData';
import { type JobEvent, isFinalJobEvent } from './jobEvent';
import { JobProgress } from './jobProgress';
import { ActivePayload, type JobSnapshot, type RawJobEvent, WORKER_EVENTS } from './rawJobEvent';

/** Where {@link jobEventStream} reads and listens. */
export interface JobEventSources {
  readonly jobId: string;
  readonly queue: string;
  /** The job's live events (hot); subscribed BEFORE the snapshot is read. */
  readonly live$: Observable<RawJobEvent>;
  /** The job as it stands (cold: one read, on subscription). */
  readonly snapshot$: ObservableInput<JobSnapshot>;
  /** The failure a worker stored in the job, read when BullMQ reports the final `failed`. */
  readonly failure: () => ObservableInput<SerializedError | undefined>;
}

const RetryingPayload = z.object({ error: SerializedError });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * One job's life as {@link JobEvent}s: listens first, then reads the job, emits its `state`, then
 * the events that arrived meanwhile and after, in stream order; completes after the final event
 * (`completed`, final `failed`, `removed`). An unknown job errors with `ComfyJobNotFoundError`.
 * ```text
 * live$:     --w--A--a--x--p--c--p     w = waiting, A = BullMQ active (skipped: the worker's a = comfy:active names the server),
 * snapshot$: ----(s|)                  x = malformed progress (skipped), p = progress, c = completed; s = {state: 'waiting'}
 * result:    ----(SW)a-----p--(C|)     S = state, W = the waiting held while reading, C = completed (then no more)
 * ```
 */
export function jobEventStream(sources: JobEventSources): Observable<JobEvent> {
  const { jobId } = sources;
  type Step = { readonly kind: 'snapshot'; readonly snapshot: JobSnapshot } | { readonly kind: 'live'; readonly raw: RawJobEvent };

  const steps$ = new Observable<Step>((subscriber) => {
    let held: RawJobEvent[] | undefined = [];
    const live = sources.live$.subscribe({
      next: (raw) => (held ? held.push(raw) : subscriber.next({ kind: 'live', raw })),
      error: (err: unknown) => subscriber.error(err),
    });
    const snapshot = from(sources.snapshot$).subscribe({
      next: (value) => {
        subscriber.next({ kind: 'snapshot', snapshot: value });
        const waiting = held ?? [];
        held = undefined;
        for (const raw of waiting) subscriber.next({ kind: 'live', raw });
      },
      error: (err: unknown) => subscriber.error(err),
    });
    return () => {
      live.unsubscribe();
      snapshot.unsubscribe();
    };
  });

  const finalFailure = (failedReason: string | undefined): Observable<JobEvent> =>
    from(sources.failure()).pipe(
      concatMap((stored): Observable<JobEvent> => of({ type: 'failed', jobId, error: stored ?? { name: 'Error', message: failedReason ?? 'failed', fields: {} }, willRetry: false })),
    );

  const completed = (returnvalue: unknown): Observable<JobEvent> => {
    const result = JobResult.safeParse(returnvalue);
    if (!result.success) return throwError(() => new ComfyJobDataError(jobId, `its result is not a comfyui-rx job result (${result.error.issues[0]?.message ?? 'invalid'})`));
    return of({ type: 'completed', jobId, result: result.data });
  };

  const fromSnapshot = (snapshot: JobSnapshot): Observable<JobEvent> => {
    if (snapshot.state === 'unknown') return throwError(() => new ComfyJobNotFoundError(jobId, sources.queue));
    const prompt = snapshot.data?.prompt;
    const progress = JobProgress.safeParse(snapshot.progress);
    const state: JobEvent = {
      type: 'state',
      jobId,
      state: snapshot.state,
      attemptsMade: snapshot.attemptsMade,
      ...(prompt ? { promptId: prompt.id, ...(prompt.server ? { server: prompt.server } : {}) } : {}),
      ...(progress.success ? { progress: progress.data } : {}),
    };
    // A snapshot read while the job moves to completed may see the state before its return value:
    // the live `completed` event (subscribed before the snapshot) then carries the result.
    if (snapshot.state === 'completed') return snapshot.returnvalue == null ? of(state) : concat(of(state), completed(snapshot.returnvalue));
    if (snapshot.state === 'failed') {
      const error = snapshot.data?.failure ?? { name: 'Error', message: snapshot.failedReason ?? 'failed', fields: {} };
      return of<JobEvent[]>(state, { type: 'failed', jobId, error, willRetry: false });
    }
    return of(state);
  };

  const fromLive = (raw: RawJobEvent): Observable<JobEvent> => {
    switch (raw.event) {
      case 'waiting':
      case 'stalled':
      case 'removed':
        return of({ type: raw.event, jobId });
      case 'active':
        return EMPTY; // the worker's own `comfy:active` follows, with the server
      case 'delayed':
        return of({ type: 'delayed', jobId, delay: raw.delay });
      case 'progress': {
        const progress = JobProgress.safeParse(raw.data);
        return progress.success ? of({ type: 'progress', jobId, progress: progress.data }) : EMPTY;
      }
      case 'completed':
        return completed(raw.returnvalue);
      case 'failed':
        return finalFailure(raw.failedReason);
      case WORKER_EVENTS.active: {
        const payload = ActivePayload.safeParse(parseJson(raw.payload));
        return payload.success ? of({ type: 'active', jobId, ...payload.data }) : EMPTY;
      }
      case WORKER_EVENTS.retrying: {
        const payload = RetryingPayload.safeParse(parseJson(raw.payload));
        return payload.success ? of({ type: 'failed', jobId, error: payload.data.error, willRetry: true }) : EMPTY;
      }
    }
  };

  return steps$.pipe(
    concatMap((step) => (step.kind === 'snapshot' ? fromSnapshot(step.snapshot) : fromLive(step.raw))),
    takeWhile((event) => !isFinalJobEvent(event), true),
  );
}
