import { z } from 'zod';
import type { Logger } from '../log';
import { isFunction } from '../util/isFunction';
import { isPlainObject } from '../util/isPlainObject';
import type { InputsOption } from '../inputs/resolveInputs';
import { QueueConnection } from './connection';
import { JobRunOptions } from './jobData';
import { JobWebhookSchema } from './delivery/options';

/** BullMQ queue names: no `:` (it separates Redis key parts). */
export const QueueName = z.string().min(1).max(200).regex(/^[^:\s]+$/, 'a queue name has no ":" and no spaces');

export const LoggerOption = z.custom<Logger>((value) => isFunction((value as Logger | undefined)?.child), 'expected a pino logger');

/** Options of `ComfyJobQueue`. */
export const ComfyJobQueueOptions = z
  .object({
    connection: QueueConnection,
    name: QueueName,
    /** Redis key prefix (BullMQ's `prefix`, default `bull`). */
    prefix: z.string().min(1).optional(),
    logger: LoggerOption.optional(),
    /** Largest input file (bytes, a Blob, a stream) a job carries inline, base64 in Redis. Default 1 MiB; larger ones need a path or a URL. */
    maxInlineInputBytes: z.number().int().nonnegative().optional(),
  })
  .strict();
export type ComfyJobQueueOptions = z.input<typeof ComfyJobQueueOptions>;

/** Options of one `add`. */
export const AddJobOptions = z
  .object({
    /** Your own job id (BullMQ ignores an add whose id already exists: idempotent producers). */
    jobId: z.string().min(1).max(200).regex(/^[^:]+$/, 'a job id has no ":"').refine((id) => !/^\d+$/.test(id), 'a custom job id must not be a plain integer (BullMQ reserves those)').optional(),
    /** 1 (highest) .. 2097152; lower runs first. */
    priority: z.number().int().min(1).max(2_097_152).optional(),
    /** Attempts before the job fails for good (only server-side failures are retried). Default 3. */
    attempts: z.number().int().positive().optional(),
    /** Delay between attempts: fixed ms, or BullMQ's `{ type: 'fixed' | 'exponential', delay }`. */
    backoff: z.union([z.number().int().nonnegative(), z.object({ type: z.enum(['fixed', 'exponential']), delay: z.number().int().nonnegative() })]).optional(),
    /** Sub-folder of the worker's `out.dir` for this job's files (default: the job id). */
    outDir: z.string().min(1).max(500).optional(),
    /** Options of the prompt run (timeout, stall warning, extra data...). */
    run: JobRunOptions.optional(),
    /**
     * Where the job's terminal state is POSTed, signed by the worker (Standard Webhooks): a URL, or
     * `{ url, progress: true }` for progress milestones too. Without it, the worker's default URL.
     */
    webhook: JobWebhookSchema.optional(),
    /**
     * Input files (`{ 'Load Image.inputs.image': 'photo.png' }`, nodes by id or title): a path
     * (workers read it: a shared folder), an http(s) URL, or bytes / a Blob / a stream up to
     * `maxInlineInputBytes`, carried inline. `inputFile` handles in the workflow go the same way.
     * The worker places them on the server that runs the prompt.
     */
    inputs: z.custom<InputsOption>(isPlainObject, 'expected { "<node>.inputs.<name>": source }').optional(),
  })
  .strict();
export type AddJobOptions = z.input<typeof AddJobOptions>;

/** Default attempts of a job (a lost connection or prompt is retried twice). */
export const DEFAULT_JOB_ATTEMPTS = 3;
/** Default backoff between attempts, ms. */
export const DEFAULT_JOB_BACKOFF_MS = 1_000;
