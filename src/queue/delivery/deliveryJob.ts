import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WebhookEventType } from './webhookEvent';

/** The BullMQ job name of a webhook delivery. */
export const DELIVERY_JOB_NAME = 'comfy-webhook';

/** The delivery queue of a job queue: same Redis, same prefix, a name of its own. */
export const deliveryQueueName = (queue: string): string => `${queue}.deliveries`;

/** Defaults of webhook delivery. */
export const DELIVERY_DEFAULTS = {
  /** Attempts of one delivery before it is recorded as failed. */
  attempts: 10,
  /** First retry after this (ms), doubling each time: 7 s, 14 s, ... 30 min, about an hour in all. */
  backoffMs: 7_000,
  /** A receiver that has not answered after this (ms) is a failed attempt. */
  timeoutMs: 10_000,
  /** Deliveries sent at once by one worker. */
  concurrency: 10,
} as const;

/**
 * The `webhook-id` of one event of one job: the same for every attempt and for every worker that
 * enqueues it (a job taken over after a crash enqueues the same id), so receivers can drop duplicates.
 * @example webhookId('comfy', '42', 'job.completed'); // 'msg_...' (24 characters after msg_)
 */
export function webhookId(queue: string, jobId: string, event: string): string {
  return `msg_${createHash('sha256').update(`${queue}\n${jobId}\n${event}`).digest('base64url').slice(0, 24)}`;
}

/** What a delivery job carries: the receiver, the id and the body, never the secret (the delivering worker signs). */
export const DeliveryJobData = z.object({
  v: z.literal(1),
  url: z.string(),
  webhookId: z.string(),
  type: WebhookEventType,
  /** The job the event is about. */
  jobId: z.string(),
  /** The exact bytes sent (and signed) on every attempt. */
  body: z.string(),
});
export type DeliveryJobData = z.infer<typeof DeliveryJobData>;
