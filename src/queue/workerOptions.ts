import { z } from 'zod';
import { LoggerOption, QueueName } from './options';
import { type QueueConnection, QueueConnectionSchema } from './connection';
import { type WorkerWebhookOptions, WorkerWebhookOptionsSchema } from './delivery/options';
import type { ComfyMetrics } from './metrics/comfyMetrics';
import { type S3OutputOptions, S3OutputOptionsSchema } from './delivery/s3Options';
import type { Logger } from '../log';
import type { SameShape } from '../util/sameShape';

/** Defaults of `ComfyWorker`. */
export const WORKER_DEFAULTS = {
  /**
   * BullMQ lock of an active job: a worker that stops renewing it (killed, frozen) loses the job this
   * long after its last renewal. With the two below, a killed worker's job is active again in another
   * worker within `lockDurationMs + stalledIntervalMs` (7 s) of the kill.
   */
  lockDurationMs: 5_000,
  /**
   * How often the lock is renewed. A worker whose event loop is blocked for less than
   * `lockDurationMs - lockRenewMs` (4 s) keeps its jobs; a longer block may hand them to another
   * worker, which reattaches to the same prompt (never a second run).
   */
  lockRenewMs: 1_000,
  /** How often workers look for jobs whose lock expired (one check per queue per interval, whichever worker makes it). */
  stalledIntervalMs: 2_000,
  /** Takeovers of one job before BullMQ fails it (each takeover reattaches, so more are safe). */
  maxStalledCount: 5,
  /** Progress updates of one job go to Redis at most this often (ms); the last one is always sent. */
  progressIntervalMs: 250,
  /** Uploads of a job's outputs to object storage: attempts, and the first wait between them (doubling). */
  storageAttempts: 10,
  storageBackoffMs: 7_000,
  /** `close()` waits this long for active jobs before leaving them to be reattached by another worker. */
  drainTimeoutMs: 30_000,
} as const;

/** Options of `ComfyWorker`, checked at construction (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface ComfyWorkerOptions {
  /** Where Redis is. */
  readonly connection: QueueConnection;
  /** The queue's name (the producers' `ComfyJobQueue` name). */
  readonly name: string;
  /** A `ComfyClient` or a `ComfyPool` (checked by the worker). */
  readonly target: unknown;
  /** Jobs run at once (default: the pool's capacity, 1 for a client). */
  readonly concurrency?: number;
  /**
   * Save outputs under `dir` (a folder shared by the workers), or stream them into a bucket
   * (`{ s3: S3OutputOptions }`); without it, results list `/view` references only.
   */
  readonly out?: { readonly dir: string } | { readonly s3: S3OutputOptions };
  /** Redis key prefix (BullMQ's `prefix`, default `bull`). */
  readonly prefix?: string;
  /** See {@link WORKER_DEFAULTS}. */
  readonly lockDurationMs?: number;
  /** Shorter than `lockDurationMs`; see {@link WORKER_DEFAULTS}. */
  readonly lockRenewMs?: number;
  readonly stalledIntervalMs?: number;
  readonly maxStalledCount?: number;
  readonly progressIntervalMs?: number;
  readonly drainTimeoutMs?: number;
  /** A pino logger (silent when absent). */
  readonly logger?: Logger;
  /** Where the worker's metrics go (`comfyMetrics()`; default: a registry of its own, `worker.metrics`). */
  readonly metrics?: ComfyMetrics;
  /** Signed webhooks (the secret, a default URL, retries). */
  readonly webhooks?: WorkerWebhookOptions;
}

/** Validates {@link ComfyWorkerOptions}. */
export const ComfyWorkerOptionsSchema = z
  .object({
    connection: QueueConnectionSchema,
    name: QueueName,
    target: z.unknown(),
    concurrency: z.number().int().positive().optional(),
    out: z.union([z.object({ dir: z.string().min(1) }).strict(), z.object({ s3: S3OutputOptionsSchema }).strict()]).optional(),
    prefix: z.string().min(1).optional(),
    lockDurationMs: z.number().int().positive().optional(),
    lockRenewMs: z.number().int().positive().optional(),
    stalledIntervalMs: z.number().int().positive().optional(),
    maxStalledCount: z.number().int().nonnegative().optional(),
    progressIntervalMs: z.number().nonnegative().optional(),
    drainTimeoutMs: z.number().nonnegative().optional(),
    logger: LoggerOption.optional(),
    metrics: z.custom<ComfyMetrics>((value) => typeof (value as ComfyMetrics | undefined)?.jobs?.inc === 'function', 'expected comfyMetrics()').optional(),
    webhooks: WorkerWebhookOptionsSchema.optional(),
  })
  .strict()
  .refine((o) => (o.lockRenewMs ?? WORKER_DEFAULTS.lockRenewMs) < (o.lockDurationMs ?? WORKER_DEFAULTS.lockDurationMs), {
    message: 'lockRenewMs must be shorter than lockDurationMs (the lock would expire before it is renewed)',
    path: ['lockRenewMs'],
  });
true satisfies SameShape<ComfyWorkerOptions, z.input<typeof ComfyWorkerOptionsSchema>>;
