import { z } from 'zod';

/**
 * Schemas of the Comfy API v2 (`/api/v2/*`: Comfy Cloud, serverless deployments, comfy-api-proxy in
 * front of a self-hosted ComfyUI), as the recordings in `src/testing/v2/__fixtures__/traces` show
 * them. Every v2 type of the library is inferred from these; the fake's v2 surface builds its
 * answers with them too. Objects are not strict: surfaces add fields (`metrics`, `expires_at`).
 */

/** A job's lifecycle: queued -> running -> succeeded | failed | expired; a cancel moves running -> canceling -> canceled. */
export const V2JobStatus = z.enum(['queued', 'running', 'succeeded', 'canceling', 'canceled', 'failed', 'expired']);
export type V2JobStatus = z.infer<typeof V2JobStatus>;

/** The states a job never leaves. */
export const V2_TERMINAL_STATUSES: ReadonlySet<V2JobStatus> = new Set(['succeeded', 'canceled', 'failed', 'expired']);

/** A server-computed progress snapshot (node count and sampler steps weighted). */
export const V2Progress = z.object({
  /** Overall fraction 0..1. The proxy's can go backwards when a node starts (its node total grows). */
  value: z.number(),
  nodes_done: z.number(),
  nodes_total: z.number(),
  current_node: z.string().nullish(),
  current_node_class: z.string().nullish(),
  step: z.number().nullish(),
  steps: z.number().nullish(),
  message: z.string().nullish(),
});
export type V2Progress = z.infer<typeof V2Progress>;

/** Output kinds the contract normalises to. */
export const V2OutputType = z.string();

/** A committed job output: an asset (`id`) whose bytes are at `url` (signed or proxy-served). */
export const V2Output = z.object({
  node_id: z.string(),
  name: z.string(),
  /** `image`, `video`, `audio`, `text`, `file`, `latent` (kept as a string: surfaces may add kinds). */
  type: V2OutputType,
  content_type: z.string(),
  /** The proxy reports 0: never trusted for a length check. */
  size_bytes: z.number(),
  id: z.string(),
  /** `blake3:<hex>`; null until computed (always null on the proxy). */
  hash: z.string().nullable(),
  url: z.string(),
  url_expires_at: z.string().nullish(),
  job_id: z.string().nullish(),
});
export type V2Output = z.infer<typeof V2Output>;

/** Why a job failed (in `job.error`, not an HTTP error). */
export const V2JobError = z.object({
  code: z.string(),
  message: z.string(),
  node_id: z.string().nullish(),
  class_type: z.string().nullish(),
  traceback: z.union([z.string(), z.array(z.string())]).nullish(),
});
export type V2JobError = z.infer<typeof V2JobError>;

/** Follow-up links: absolute, or host-relative (resolved against the origin, never the base URL). */
export const V2JobUrls = z.object({ self: z.string(), events: z.string(), cancel: z.string() });
export type V2JobUrls = z.infer<typeof V2JobUrls>;

/** `GET /api/v2/jobs/{id}`, the 201 of `POST /api/v2/jobs`, the 200 of a cancel. */
export const V2Job = z.object({
  id: z.string(),
  status: V2JobStatus,
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  /** Jobs ahead of this one (the running one included); null when not queued (and in the submit answer). */
  queue_position: z.number().nullish(),
  /** The proxy's stays `{value: 0, nodes_done: 0, nodes_total: 0}` while running: only the stream moves. */
  progress: V2Progress.nullish(),
  outputs: z.array(V2Output).default([]),
  error: V2JobError.nullish(),
  outputs_reused: z.boolean().optional(),
  urls: V2JobUrls,
  /** The caller's metadata, echoed (comfyui-rx puts its prompt id there). */
  metadata: z.unknown().optional(),
  priority: z.number().nullish(),
});
export type V2Job = z.infer<typeof V2Job>;

/** `GET /api/v2/jobs?status=&limit=`: newest first. */
export const V2JobList = z.object({ jobs: z.array(V2Job), truncated: z.boolean().optional() });
export type V2JobList = z.infer<typeof V2JobList>;

/** `POST /api/v2/jobs` body. `extra_data` is closed: only the partner-node key. */
export const V2JobRequest = z.object({
  workflow: z.record(z.string(), z.unknown()),
  extra_data: z.object({ api_key_comfy_org: z.string().optional() }).strict().optional(),
  metadata: z.string().optional(),
  priority: z.number().optional(),
});
export type V2JobRequest = z.infer<typeof V2JobRequest>;

/** An asset (upload, `from-hash`, `GET /api/v2/assets/{id}`). */
export const V2Asset = z.object({
  id: z.string(),
  hash: z.string().nullable(),
  size_bytes: z.number(),
  content_type: z.string(),
  file_path: z.string().nullish(),
  created_at: z.string().nullish(),
  url: z.string(),
  url_expires_at: z.string().nullish(),
  /** On create answers: new bytes (true) or a dedupe hit (false). */
  created_new: z.boolean().optional(),
  job_id: z.string().nullish(),
});
export type V2Asset = z.infer<typeof V2Asset>;

/** How a workflow input points at an asset: `{"__type": "core/ASSET", "info": {...}}`. */
export const V2AssetReference = z.object({
  __type: z.literal('core/ASSET'),
  info: z.object({ id: z.string(), hash: z.string().optional(), file_path: z.string().optional() }),
});
export type V2AssetReference = z.infer<typeof V2AssetReference>;

/** Every v2 error answer: `{"error": {"code", "message", "details"}}`. */
export const V2ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type V2ErrorEnvelope = z.infer<typeof V2ErrorEnvelope>;

/** `GET /api/v2/health` (process liveness; the proxy does not probe ComfyUI). */
export const V2Health = z.object({ status: z.string() }).passthrough();
export type V2Health = z.infer<typeof V2Health>;

/** SSE `status` event data. */
export const V2StatusEvent = z.object({ status: V2JobStatus, queue_position: z.number().nullish(), error: V2JobError.nullish() });
export type V2StatusEvent = z.infer<typeof V2StatusEvent>;
/** SSE `preview` event data (base64 image). */
export const V2PreviewEvent = z.object({ node_id: z.string().nullish(), content_type: z.string(), data_base64: z.string() });
export type V2PreviewEvent = z.infer<typeof V2PreviewEvent>;

/** One event of a job's stream (`GET /api/v2/jobs/{id}/events`), parsed. Unknown event names pass as `unknown`. */
export type V2StreamEvent =
  | { readonly event: 'status'; readonly data: V2StatusEvent }
  | { readonly event: 'progress'; readonly data: V2Progress }
  | { readonly event: 'preview'; readonly data: V2PreviewEvent }
  | { readonly event: 'output'; readonly data: V2Output }
  | { readonly event: 'unknown'; readonly name: string; readonly data: string };

const STREAM_SCHEMAS = { status: V2StatusEvent, progress: V2Progress, preview: V2PreviewEvent, output: V2Output } as const;

/**
 * One SSE message as a {@link V2StreamEvent}: its `data` parsed as JSON and checked against the
 * event's schema. An unknown event name passes as `unknown`; a known one with a bad body is
 * `undefined` (the caller logs and skips it).
 */
export function parseStreamEvent(name: string | undefined, data: string): V2StreamEvent | undefined {
  const event = name || 'message';
  const schema = (STREAM_SCHEMAS as Record<string, z.ZodType>)[event];
  if (!schema) return { event: 'unknown', name: event, data };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? ({ event, data: parsed.data } as V2StreamEvent) : undefined;
}
