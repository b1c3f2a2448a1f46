import { z } from 'zod';
import { LoggerOption, QueueName } from './options';
import { QueueConnection } from './connection';

/** Defaults of `ComfyWorker`. */
export const WORKER_DEFAULTS = {
  /** BullMQ lock of an active job; a worker that stops renewing it (died) loses the job after this. */
  lockDurationMs: 30_000,
  /** How often workers look for jobs whose lock expired. */
  stalledIntervalMs: 30_000,
  /** Takeovers of one job before BullMQ fails it (each takeover reattaches, so more are safe). */
  maxStalledCount: 5,
  /** Progress updates of one job go to Redis at most this often (ms); the last one is always sent. */
  progressIntervalMs: 250,
  /** `close()` waits this long for active jobs before leaving them to be reattached by another worker. */
  drainTimeoutMs: 30_000,
} as const;

/** Options of `ComfyWorker`, validated at construction. */
export const ComfyWorkerOptions = z
  .object({
    connection: QueueConnection,
    name: QueueName,
    /** A `ComfyClient` or a `ComfyPool` (checked by the worker). */
    target: z.unknown(),
    /** Jobs run at once (default: the pool's capacity, 1 for a client). */
    concurrency: z.number().int().positive().optional(),
    /** Save outputs under `dir` (a folder shared by the workers); without it, results list `/view` references only. */
    out: z.object({ dir: z.string().min(1) }).strict().optional(),
    prefix: z.string().min(1).optional(),
    lockDurationMs: z.number().int().positive().optional(),
    stalledIntervalMs: z.number().int().positive().optional(),
    maxStalledCount: z.number().int().nonnegative().optional(),
    progressIntervalMs: z.number().nonnegative().optional(),
    drainTimeoutMs: z.number().nonnegative().optional(),
    logger: LoggerOption.optional(),
  })
  .strict();
export type ComfyWorkerOptions = z.input<typeof ComfyWorkerOptions>;
