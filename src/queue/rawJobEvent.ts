import { z } from 'zod';
import { JobState } from './jobEvent';
import { JobData } from './jobData';

/** Names of the custom events a worker publishes on the queue's event stream (QueueEventsProducer). */
export const WORKER_EVENTS = {
  /** The worker recorded the prompt and its server: `payload` = {server, promptId, attempt, reattached}. */
  active: 'comfy:active',
  /** The attempt failed and BullMQ will retry it: `payload` = {error}. */
  retrying: 'comfy:retrying',
  /** A producer asks the worker running the job to cancel it: `reason`. */
  cancel: 'comfy:cancel',
  /** Written once by a producer before it starts listening (its start position in the stream). */
  mark: 'comfy:mark',
} as const;

/**
 * One entry of a queue's event stream concerning one job, as `QueueEvents` delivers it (the
 * BullMQ events we follow, and ours). Payloads are checked later, when mapped to `JobEvent`s.
 */
export type RawJobEvent =
  | { readonly event: 'waiting' | 'active' | 'stalled' | 'removed' }
  | { readonly event: 'delayed'; readonly delay: number }
  | { readonly event: 'progress'; readonly data: unknown }
  | { readonly event: 'completed'; readonly returnvalue: unknown }
  | { readonly event: 'failed'; readonly failedReason: string }
  | { readonly event: typeof WORKER_EVENTS.active | typeof WORKER_EVENTS.retrying; readonly payload: string };

/** A job as read from Redis when a subscription starts. */
export const JobSnapshot = z.object({
  state: JobState,
  attemptsMade: z.number().int().nonnegative(),
  /** The job's data; undefined when it does not parse (another version wrote it). */
  data: JobData.optional(),
  progress: z.unknown(),
  returnvalue: z.unknown(),
  failedReason: z.string().optional(),
});
export type JobSnapshot = z.infer<typeof JobSnapshot>;

/** Payload of {@link WORKER_EVENTS.active}. */
export const ActivePayload = z.object({ server: z.string(), promptId: z.string(), attempt: z.number().int().positive(), reattached: z.boolean() });
export type ActivePayload = z.infer<typeof ActivePayload>;
