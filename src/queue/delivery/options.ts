import { z } from 'zod';
import type { SameShape } from '../../util/sameShape';

/** How webhook deliveries are retried. */
export interface DeliveryRetryOptions {
  /** Attempts of one delivery before it is recorded as failed on the job. Default 10. */
  readonly attempts?: number;
  /** First retry after this (ms), doubling each time. Default 7000 (10 attempts span about an hour). */
  readonly backoffMs?: number;
}

/** A worker's webhook settings. */
export interface WorkerWebhookOptions {
  /** The Standard Webhooks signing secret, `whsec_<base64>`. Only workers hold it; it never goes to Redis. */
  readonly secret: string;
  /** The URL of jobs added without one. */
  readonly url?: string;
  /** A receiver that has not answered after this (ms) is a failed attempt. Default 10000. */
  readonly timeoutMs?: number;
  readonly retry?: DeliveryRetryOptions;
  /** Deliveries this worker sends at once. Default 10. */
  readonly concurrency?: number;
}

/** A job's webhook: its URL, or the URL and whether progress milestones (25, 50, 75 %) are sent too. */
export type JobWebhook = string | { readonly url: string; readonly progress?: boolean };

/** Validates {@link DeliveryRetryOptions}. */
export const DeliveryRetryOptionsSchema = z
  .object({ attempts: z.number().int().positive().max(100).optional(), backoffMs: z.number().int().nonnegative().optional() })
  .strict();
true satisfies SameShape<DeliveryRetryOptions, z.input<typeof DeliveryRetryOptionsSchema>>;

/** Validates {@link WorkerWebhookOptions}. */
export const WorkerWebhookOptionsSchema = z
  .object({
    secret: z.string(),
    url: z.string().optional(),
    timeoutMs: z.number().int().positive().optional(),
    retry: DeliveryRetryOptionsSchema.optional(),
    concurrency: z.number().int().positive().optional(),
  })
  .strict();
true satisfies SameShape<WorkerWebhookOptions, z.input<typeof WorkerWebhookOptionsSchema>>;

/** Validates {@link JobWebhook}. */
export const JobWebhookSchema = z.union([z.string(), z.object({ url: z.string(), progress: z.boolean().optional() }).strict()]);
true satisfies SameShape<JobWebhook, z.input<typeof JobWebhookSchema>>;
