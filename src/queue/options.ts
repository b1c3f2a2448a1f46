import { z } from 'zod';
import type { Logger } from '../log';
import { isFunction } from '../util/isFunction';
import { isPlainObject } from '../util/isPlainObject';
import type { InputsOption } from '../inputs/resolveInputs';
import { type QueueConnection, QueueConnectionSchema } from './connection';
import { type JobRunOptions, JobRunOptionsSchema } from './jobData';
import { type JobWebhook, JobWebhookSchema } from './delivery/options';
import type { SameShape } from '../util/sameShape';

/** BullMQ queue names: no `:` (it separates Redis key parts). */
export const QueueName = z.string().min(1).max(200).regex(/^[^:\s]+$/, 'a queue name has no ":" and no spaces');

export const LoggerOption = z.custom<Logger>((value) => isFunction((value as Logger | undefined)?.child), 'expected a pino logger');

/** Options of `ComfyJobQueue`, checked at construction (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface ComfyJobQueueOptions {
  /** Where Redis is. */
  readonly connection: QueueConnection;
  /** The queue's name (no `:`, no spaces); producers and workers of one queue use the same. */
  readonly name: string;
  /** Redis key prefix (BullMQ's `prefix`, default `bull`). */
  readonly prefix?: string;
  /** A pino logger (silent when absent). */
  readonly logger?: Logger;
  /** Largest input file (bytes, a Blob, a stream) a job carries inline, base64 in Redis. Default 1 MiB; larger ones need a path or a URL. */
  readonly maxInlineInputBytes?: number;
}

/** Validates {@link ComfyJobQueueOptions}. */
export const ComfyJobQueueOptionsSchema = z
  .object({
    connection: QueueConnectionSchema,
    name: QueueName,
    prefix: z.string().min(1).optional(),
    logger: LoggerOption.optional(),
    maxInlineInputBytes: z.number().int().nonnegative().optional(),
  })
  .strict();
true satisfies SameShape<ComfyJobQueueOptions, z.input<typeof ComfyJobQueueOptionsSchema>>;

/** Options of one `add`, checked when it is called (invalid ones throw `ComfyOptionsError`). */
export interface AddJobOptions {
  /** Your own job id (BullMQ ignores an add whose id already exists: idempotent producers). No `:`, not a plain integer. */
  readonly jobId?: string;
  /** 1 (highest) .. 2097152; lower runs first. */
  readonly priority?: number;
  /** Attempts before the job fails for good (only server-side failures are retried). Default 3. */
  readonly attempts?: number;
  /** Delay between attempts: fixed ms, or BullMQ's `{ type: 'fixed' | 'exponential', delay }`. */
  readonly backoff?: number | { readonly type: 'fixed' | 'exponential'; readonly delay: number };
  /** Sub-folder of the worker's `out.dir` for this job's files (default: the job id). */
  readonly outDir?: string;
  /** Options of the prompt run (timeout, stall warning, extra data...). */
  readonly run?: JobRunOptions;
  /**
   * Where the job's terminal state is POSTed, signed by the worker (Standard Webhooks): a URL, or
   * `{ url, progress: true }` for progress milestones too. Without it, the worker's default URL.
   */
  readonly webhook?: JobWebhook;
  /**
   * Input files (`{ 'Load Image.inputs.image': 'photo.png' }`, nodes by id or title): a path
   * (workers read it: a shared folder), an http(s) URL, or bytes / a Blob / a stream up to
   * `maxInlineInputBytes`, carried inline. `inputFile` handles in the workflow go the same way.
   * The worker places them on the server that runs the prompt.
   */
  readonly inputs?: InputsOption;
}

/** Validates {@link AddJobOptions}. */
export const AddJobOptionsSchema = z
  .object({
    jobId: z.string().min(1).max(200).regex(/^[^:]+$/, 'a job id has no ":"').refine((id) => !/^\d+$/.test(id), 'a custom job id must not be a plain integer (BullMQ reserves those)').optional(),
    priority: z.number().int().min(1).max(2_097_152).optional(),
    attempts: z.number().int().positive().optional(),
    backoff: z.union([z.number().int().nonnegative(), z.object({ type: z.enum(['fixed', 'exponential']), delay: z.number().int().nonnegative() })]).optional(),
    outDir: z.string().min(1).max(500).optional(),
    run: JobRunOptionsSchema.optional(),
    webhook: JobWebhookSchema.optional(),
    inputs: z.custom<InputsOption>(isPlainObject, 'expected { "<node>.inputs.<name>": source }').optional(),
  })
  .strict();
true satisfies SameShape<AddJobOptions, z.input<typeof AddJobOptionsSchema>>;

/** Default attempts of a job (a lost connection or prompt is retried twice). */
export const DEFAULT_JOB_ATTEMPTS = 3;
/** Default backoff between attempts, ms. */
export const DEFAULT_JOB_BACKOFF_MS = 1_000;
