import { z } from 'zod';
import { JobResult, SerializedError } from './jobData';
import { JobProgress } from './jobProgress';

/** A job's state as BullMQ stores it (`unknown`: no such job). */
export const JobState = z.enum(['waiting', 'waiting-children', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'unknown']);
export type JobState = z.infer<typeof JobState>;

const base = { jobId: z.string() };

/**
 * What `ComfyJobQueue.events$(id)` emits, discriminated by `type`. The first value is always
 * `state` (read after listening began, so nothing in between is lost); the stream completes after
 * `completed`, a final `failed` (`willRetry: false`) or `removed`.
 */
export const JobEvent = z.discriminatedUnion('type', [
  /** The job as it stands when the subscription begins. */
  z.object({
    type: z.literal('state'),
    ...base,
    state: JobState,
    attemptsMade: z.number().int().nonnegative(),
    /** The prompt recorded by the last worker (when one was). */
    promptId: z.string().optional(),
    server: z.string().optional(),
    progress: JobProgress.optional(),
  }),
  /** Back in the queue (added, retried, or taken from a dead worker). */
  z.object({ type: z.literal('waiting'), ...base }),
  /** Waiting for a retry's backoff (`delay`: when it may run, epoch ms). */
  z.object({ type: z.literal('delayed'), ...base, delay: z.number() }),
  /** A worker took it and recorded where its prompt goes. */
  z.object({ type: z.literal('active'), ...base, server: z.string(), promptId: z.string(), attempt: z.number().int().positive(), reattached: z.boolean() }),
  z.object({ type: z.literal('progress'), ...base, progress: JobProgress }),
  /** Its worker stopped renewing the lock (died): another worker takes it over. */
  z.object({ type: z.literal('stalled'), ...base }),
  z.object({ type: z.literal('completed'), ...base, result: JobResult }),
  z.object({ type: z.literal('failed'), ...base, error: SerializedError, willRetry: z.boolean() }),
  /** Removed from the queue (cancelled while waiting). */
  z.object({ type: z.literal('removed'), ...base }),
]);
export type JobEvent = z.infer<typeof JobEvent>;
export type JobEventType = JobEvent['type'];

/** True for the events after which a job's stream completes. */
export const isFinalJobEvent = (event: JobEvent): boolean =>
  event.type === 'completed' || event.type === 'removed' || (event.type === 'failed' && !event.willRetry);
