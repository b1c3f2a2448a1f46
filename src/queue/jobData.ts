import { z } from 'zod';
import { JobInputs } from './jobInputs';
import type { SameShape } from '../util/sameShape';

/** Version of the job data and result layout; a worker refuses data of a version it does not know. */
export const JOB_DATA_VERSION = 1;

/** Keys of `extra_data` that are credentials (partner nodes): never in job data. */
const SECRET_EXTRA_DATA_KEYS: ReadonlySet<string> = new Set(['api_key_comfy_org', 'auth_token_comfy_org']);

/** Run options a job carries to its worker (those of `ComfyClient.run` that survive JSON; no API key: the worker's client has it). */
export interface JobRunOptions {
  /** Overall budget of the prompt (ms): past it the prompt is cancelled and the job fails. */
  readonly timeoutMs?: number;
  /** Silence (ms) before a `stalled` warning and a reconciliation. */
  readonly stallWarnAfterMs?: number;
  /** Stored with the prompt (`extra_pnginfo`, ...); never an API key (`api_key_comfy_org`): job data is stored in Redis. */
  readonly extraData?: Readonly<Record<string, unknown>>;
  /** Queue before normal items on the ComfyUI server. */
  readonly front?: boolean;
  /** Only these output nodes are executed. */
  readonly partialExecutionTargets?: readonly string[];
  /** Validate the prompt offline against the server's `/object_info` before posting it (`RunOptions.validate`). */
  readonly validate?: boolean;
}

/** Validates {@link JobRunOptions} (in `add` and in the job data a worker reads). */
export const JobRunOptionsSchema = z
  .object({
    timeoutMs: z.number().positive().optional(),
    stallWarnAfterMs: z.number().positive().optional(),
    extraData: z.record(z.string(), z.unknown()).optional(),
    front: z.boolean().optional(),
    partialExecutionTargets: z.array(z.string()).optional(),
    validate: z.boolean().optional(),
  })
  .strict()
  .refine((options) => !Object.keys(options.extraData ?? {}).some((key) => SECRET_EXTRA_DATA_KEYS.has(key)), {
    message: "extraData must not carry an API key (api_key_comfy_org, auth_token_comfy_org): job data is stored in Redis; give the worker's client its apiKey instead",
    path: ['extraData'],
  });
true satisfies SameShape<JobRunOptions, z.input<typeof JobRunOptionsSchema>>;

/** A prompt a worker submitted (or is about to submit) for the job, recorded BEFORE the POST. */
export const PromptRecord = z.object({
  /** The prompt id the worker made (sent in the `POST /prompt` body). */
  id: z.string().min(1),
  /** The server's name in the worker's target (a pool server's name, or the client's URL). */
  server: z.string().min(1).optional(),
  /** That server's base URL without credentials (finds it again in a differently named pool). */
  url: z.string().min(1).optional(),
  /** The job attempt (1-based) that submitted it. */
  attempt: z.number().int().positive(),
});
export type PromptRecord = z.infer<typeof PromptRecord>;

/** A typed error carried across processes: its class name, stable code and JSON-safe fields. */
export const SerializedError = z.object({
  name: z.string(),
  code: z.string().optional(),
  message: z.string(),
  /** The error's own enumerable fields (`promptId`, `nodeId`, `status`, ...), JSON-safe. */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type SerializedError = z.infer<typeof SerializedError>;

/** An output left on the server: its `/view` URL (without credentials) and reference. */
export const JobOutputReference = z.object({
  nodeId: z.string(),
  kind: z.string(),
  filename: z.string(),
  subfolder: z.string(),
  type: z.string(),
  url: z.string(),
});
export type JobOutputReference = z.infer<typeof JobOutputReference>;

/** A webhook delivery that failed its last attempt, recorded on the job it was about. */
export const DeliveryFailure = z.object({
  type: z.string(),
  webhookId: z.string(),
  /** The receiver, printable (no credentials, no query). */
  url: z.string(),
  attempts: z.number().int().nonnegative(),
  error: SerializedError,
  /** When the last attempt failed (epoch ms). */
  at: z.number(),
});
export type DeliveryFailure = z.infer<typeof DeliveryFailure>;

/** What `ComfyJobQueue.add` stores in Redis; validated on both sides (producer and worker versions may differ). */
export const JobData = z.object({
  v: z.literal(JOB_DATA_VERSION),
  /** The workflow as the producer gave it (API format; the worker's client checks it). */
  workflow: z.record(z.string(), z.unknown()),
  run: JobRunOptionsSchema.default({}),
  /** Sub-folder of the worker's `out.dir` for this job's files (default: the job id). */
  outDir: z.string().min(1).max(500).optional(),
  /** The current prompt (recorded before it is posted). */
  prompt: PromptRecord.optional(),
  /** Every prompt submitted for this job so far, oldest first (a resubmission adds one). */
  prompts: z.array(PromptRecord).default([]),
  /** Why the last attempt failed (written before the worker throws). */
  failure: SerializedError.optional(),
  /** Where the job's events go (its URL only: the signing secret stays in the workers). */
  webhook: z.object({ url: z.string(), progress: z.boolean().optional() }).optional(),
  /** Uploads of the outputs to object storage that failed so far (the job waits, delayed, between them). */
  storage: z.object({ attempts: z.number().int().nonnegative(), error: SerializedError, references: z.array(JobOutputReference) }).optional(),
  /** Webhook deliveries about this job that failed their last attempt. */
  deliveryFailures: z.array(DeliveryFailure).optional(),
  /** Input files the worker places on the server that runs the prompt (paths, URLs, small inline bytes). */
  inputs: JobInputs.default({}),
});
export type JobData = z.infer<typeof JobData>;
/** {@link JobData} as a producer writes it (defaults not yet applied). */
export type JobDataInput = z.input<typeof JobData>;

/** A file the worker saved under its `out.dir`. */
export const JobSavedFile = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  nodeId: z.string(),
  kind: z.string(),
  /** The server's file name (untrusted; the local name is in `path`). */
  filename: z.string(),
  skipped: z.boolean(),
});
export type JobSavedFile = z.infer<typeof JobSavedFile>;


/** An output the worker wrote to its bucket. */
export const JobStoredObject = z.object({
  nodeId: z.string(),
  kind: z.string(),
  filename: z.string(),
  bucket: z.string(),
  key: z.string(),
  /** `s3://bucket/key` */
  location: z.string(),
  bytes: z.number().int().nonnegative(),
  /** A presigned GET URL (`out.s3.presignExpiresInS`). */
  url: z.string().optional(),
});
export type JobStoredObject = z.infer<typeof JobStoredObject>;

/** A completed job's return value. */
export const JobResult = z.object({
  v: z.literal(JOB_DATA_VERSION),
  promptId: z.string(),
  /** Name of the server that ran it. */
  server: z.string(),
  /** `/history` outputs by node id. */
  outputs: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Saved under the worker's `out.dir` (empty without one). */
  files: z.array(JobSavedFile),
  /** Objects written to the worker's bucket (with `out.s3`). */
  objects: z.array(JobStoredObject).optional(),
  /** `/view` references of every output file (always listed). */
  references: z.array(JobOutputReference),
  /** True when this result came from reattaching to a prompt submitted by an earlier attempt. */
  reattached: z.boolean(),
  /** Time from the worker taking the job to its result. */
  elapsedMs: z.number().nonnegative(),
  /** The stored names the job's input files became (`{ '<node id>.inputs.<name>': value }`), when it had any. */
  inputs: z.record(z.string(), z.string()).optional(),
});
export type JobResult = z.infer<typeof JobResult>;
