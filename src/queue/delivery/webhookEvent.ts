import { z } from 'zod';
import { JobOutputReference, SerializedError } from '../jobData';
import { JobProgress } from '../jobProgress';

/** The event types a webhook receives. */
export const WebhookEventType = z.enum(['job.completed', 'job.failed', 'job.cancelled', 'job.progress']);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Where an output was delivered (a saved file, or an object in a bucket). */
export const DeliveredFile = z.object({
  nodeId: z.string(),
  kind: z.string(),
  /** The server's file name. */
  filename: z.string(),
  bytes: z.number().int().nonnegative(),
  /** A path under the worker's `out.dir`. */
  path: z.string().optional(),
  /** `s3://bucket/key`. */
  location: z.string().optional(),
  bucket: z.string().optional(),
  key: z.string().optional(),
  /** A presigned GET URL, when the worker was asked for them. */
  url: z.string().optional(),
});
export type DeliveredFile = z.infer<typeof DeliveredFile>;

/**
 * The body of a webhook, in the Standard Webhooks shape (`type`, `timestamp`, `data`): what a
 * receiver parses after verifying the signature.
 */
export const WebhookEvent = z.object({
  type: WebhookEventType,
  /** When the event happened (ISO 8601); the same on every retry. */
  timestamp: z.string(),
  data: z.object({
    jobId: z.string(),
    queue: z.string(),
    promptId: z.string().optional(),
    state: z.enum(['completed', 'failed', 'cancelled', 'active']),
    /** `/history` outputs by node id (completed). */
    outputs: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Where the outputs were delivered (completed). */
    files: z.array(DeliveredFile).optional(),
    /** The outputs on the ComfyUI server (completed; failed when the outputs could not be delivered). */
    references: z.array(JobOutputReference).optional(),
    /** The typed error (failed, cancelled). */
    error: SerializedError.optional(),
    /** Progress milestone (progress). */
    progress: JobProgress.optional(),
  }),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;
