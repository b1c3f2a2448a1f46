import { z } from 'zod';
import { ExecutionErrorData, ExecutionInterruptedData, NodeOutput } from './messages';

/**
 * Schemas of the HTTP bodies comfyui-rx sends and reads (docs/protocol.md §6, §7; bare § numbers below refer to it).
 */

/** §7.1 One node of an API-format workflow. */
export const WorkflowNode = z.object({
  class_type: z.string().min(1, 'class_type must be a non-empty string'),
  inputs: z.record(z.string(), z.unknown()),
  _meta: z.object({ title: z.string().optional() }).optional(),
});
/** §7.1 An API-format workflow ("Save (API)" in ComfyUI): node id -> node. */
export const Workflow = z
  .record(z.string().min(1), WorkflowNode)
  .refine((graph) => Object.keys(graph).length > 0, 'a workflow needs at least one node');
export type WorkflowNode = z.infer<typeof WorkflowNode>;
export type Workflow = z.infer<typeof Workflow>;

/** One validation reason in `node_errors` (§6.1). */
export const ValidationReason = z.object({
  type: z.string(),
  message: z.string(),
  details: z.string().optional(),
  extra_info: z.unknown().optional(),
});
export type ValidationReason = z.infer<typeof ValidationReason>;
export const NodeErrors = z.record(
  z.string(),
  z.object({
    errors: z.array(ValidationReason),
    dependent_outputs: z.array(z.string()).default([]),
    class_type: z.string().optional(),
  }),
);
export type NodeErrors = z.infer<typeof NodeErrors>;

/** §6.1 `POST /prompt` body. `prompt_id` is made on the client so we can listen before we post. */
export const PromptRequest = z.object({
  prompt: z.record(z.string(), z.unknown()),
  client_id: z.string().optional(),
  prompt_id: z.string().optional(),
  extra_data: z.record(z.string(), z.unknown()).optional(),
  number: z.number().optional(),
  front: z.boolean().optional(),
  partial_execution_targets: z.array(z.string()).optional(),
});
export type PromptRequest = z.infer<typeof PromptRequest>;

/** §6.1 200 answer. `node_errors` may be non-empty (some outputs were dropped). */
export const PromptResponse = z.object({
  prompt_id: z.string(),
  number: z.number(),
  node_errors: z.union([NodeErrors, z.array(z.unknown()).transform(() => ({}))]).default({}),
});
export type PromptResponse = z.infer<typeof PromptResponse>;

/** §6.1 400 answer. Very old servers sent `error` as a plain string. */
export const PromptErrorBody = z.object({
  error: z.union([
    z.object({ type: z.string(), message: z.string(), details: z.string().default(''), extra_info: z.unknown().optional() }),
    z.string().transform((message) => ({ type: 'error', message, details: '', extra_info: undefined })),
  ]),
  node_errors: z.union([NodeErrors, z.array(z.unknown()).transform(() => ({}))]).default({}),
});
export type PromptErrorBody = z.infer<typeof PromptErrorBody>;

/** §7.2 Queue item `[number, prompt_id, prompt, extra_data, outputs_to_execute]` (extra elements tolerated). */
export const QueueItem = z.tuple([z.number(), z.string()], z.unknown());
export type QueueItem = z.infer<typeof QueueItem>;

/** §6.3 `GET /queue` */
export const QueueResponse = z.object({ queue_running: z.array(QueueItem), queue_pending: z.array(QueueItem) });
export type QueueResponse = z.infer<typeof QueueResponse>;

/** §7.3 `status` of a history entry; `messages` are `[event, data]` pairs. */
export const HistoryStatus = z.object({
  status_str: z.string(),
  completed: z.boolean(),
  messages: z.array(z.tuple([z.string(), z.unknown()])).default([]),
});

/** §7.3 One history entry. */
export const HistoryEntry = z.object({
  prompt: z.array(z.unknown()),
  outputs: z.record(z.string(), NodeOutput).default({}),
  status: HistoryStatus.optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** §6.6 `GET /history[/{id}]`: `{}` when the prompt is unknown, pending, running or deleted. */
export const HistoryResponse = z.record(z.string(), HistoryEntry);
export type HistoryResponse = z.infer<typeof HistoryResponse>;

/** How a finished prompt ended, read from its history entry. */
export type HistoryOutcome =
  | { kind: 'success' }
  | { kind: 'error'; error: ExecutionErrorData }
  | { kind: 'interrupted'; interrupted: ExecutionInterruptedData }
  | { kind: 'unknown'; statusStr: string };

/** Reads the outcome from a history entry's `status.messages`. */
export function historyOutcome(entry: HistoryEntry): HistoryOutcome {
  const status = entry.status;
  if (!status) return { kind: 'success' }; // very old servers: no status, outputs only
  for (const [event, data] of status.messages) {
    if (event === 'execution_error') {
      const parsed = ExecutionErrorData.safeParse(data);
      if (parsed.success) return { kind: 'error', error: parsed.data };
    }
    if (event === 'execution_interrupted') {
      const parsed = ExecutionInterruptedData.safeParse(data);
      if (parsed.success) return { kind: 'interrupted', interrupted: parsed.data };
    }
  }
  if (status.completed || status.status_str === 'success') return { kind: 'success' };
  return { kind: 'unknown', statusStr: status.status_str };
}

/**
 * §6.14 `GET /api/jobs/{id}` (ComfyUI 0.8.0 and newer): one prompt's state in one call. `status`:
 * `pending`, `in_progress`, `completed`, `failed`, `cancelled` (kept as a string: newer servers may
 * add states). Null-valued keys are omitted by the server. Finished jobs carry `outputs` and
 * `execution_status` (the history entry's `status`); queued ones neither.
 */
export const Job = z.object({
  id: z.string(),
  /** One of {@link JOB_STATUSES} (kept as a string: a later server may add states). */
  status: z.string(),
  priority: z.number().optional(),
  create_time: z.number().optional(),
  execution_start_time: z.number().optional(),
  execution_end_time: z.number().optional(),
  outputs_count: z.number().optional(),
  outputs: z.record(z.string(), NodeOutput).optional(),
  /** The history `status` object (`{}` or absent on very old entries). */
  execution_status: z.unknown().optional(),
  workflow: z.object({ prompt: z.unknown(), extra_data: z.unknown() }).partial().optional(),
  /** Newer servers: the outputs an asset view can show (images, video, audio, 3D, text). */
  previewable_outputs_count: z.number().optional(),
  /**
   * Newer servers (the job list, and finished jobs): the output to show for the job, a file
   * (`{filename, subfolder, type, nodeId, mediaType}`, `mediaType` `3d` for 3D files) or a text
   * preview (`{content, truncated?, nodeId, mediaType: "text"}`).
   */
  preview_output: z.looseObject({ nodeId: z.string().optional(), mediaType: z.string().optional(), content: z.string().optional(), truncated: z.boolean().optional() }).optional().catch(undefined),
});
export type Job = z.infer<typeof Job>;

/**
 * The states of a job (`comfy_execution/jobs.py` `JobStatus`): newer servers report a run ended
 * by an interrupt or a cancel as `cancelled` (their `failed` no longer includes those).
 */
export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
/** Every {@link JobStatus} (the type is spelled out so that it stands alone in the public API). */
export const JOB_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'cancelled'] as const satisfies readonly JobStatus[];
true satisfies ([JobStatus] extends [(typeof JOB_STATUSES)[number]] ? true : false);

/** §6.12 `GET /system_stats` */
export const SystemStats = z.object({
  system: z.object({
    os: z.string(),
    ram_total: z.number().optional(),
    ram_free: z.number().optional(),
    comfyui_version: z.string().nullable().optional(),
    python_version: z.string().nullable().optional(),
    pytorch_version: z.string().nullable().optional(),
    embedded_python: z.boolean().optional(),
    argv: z.array(z.string()).optional(),
  }),
  devices: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      index: z.number().nullable().optional(),
      vram_total: z.number().optional(),
      vram_free: z.number().optional(),
      torch_vram_total: z.number().optional(),
      torch_vram_free: z.number().optional(),
    }),
  ),
});
export type SystemStats = z.infer<typeof SystemStats>;


/** §6.10 `POST /upload/image` answer: the key is `name`, not `filename`. */
export const UploadResponse = z.object({
  name: z.string(),
  subfolder: z.string().default(''),
  type: z.string().default('input'),
  /** Newer servers with assets on: the asset the upload became (`{id, name, asset_hash, size, mime_type, tags}`). */
  asset: z.looseObject({ id: z.string() }).optional().catch(undefined),
});
export type UploadResponse = z.infer<typeof UploadResponse>;

/** §6.2 `GET /prompt` */
export const PromptQueueInfo = z.object({ exec_info: z.object({ queue_remaining: z.number() }) });
export type PromptQueueInfo = z.infer<typeof PromptQueueInfo>;

/** §7.4 A file reference inside a UI output (`images`, `gifs`, `audio`, `video`...). */
export const OutputFileRef = z.object({
  filename: z.string().min(1),
  subfolder: z.string().default(''),
  type: z.string().default('output'),
  format: z.string().optional(),
  /** Where the bytes are when not behind `/view`: a Comfy API v2 output asset's content URL. */
  url: z.string().optional(),
  /** The Comfy API v2 asset id of the file. */
  asset_id: z.string().optional(),
  /**
   * Newer servers: what the file is (`{kind, width, height}`, videos also `duration`, `fps`,
   * `frame_count`); absent on 0.8.0 and when the server could not tell.
   */
  metadata: z.looseObject({ kind: z.string().optional(), width: z.number().optional(), height: z.number().optional() }).optional().catch(undefined),
  /** Newer servers with assets on: the file's asset id and its preview's. */
  id: z.string().optional().catch(undefined),
  preview_id: z.string().nullish().catch(undefined),
  /** The jobs API's media type of the file (`images`, `video`, `3d`...). */
  mediaType: z.string().optional().catch(undefined),
});
export type OutputFileRef = z.infer<typeof OutputFileRef>;
