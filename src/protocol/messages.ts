import { z } from 'zod';
import { ComfyProtocolError } from '../errors';
import { BinaryMessage } from './binary';
import { hotFrame } from './hotFrames';
import { parsePythonJson } from './pythonJson';

/**
 * Schemas of every JSON message a ComfyUI server sends over its WebSocket
 * (docs/protocol.md §3; bare § numbers below refer to it). Types are inferred from these schemas; nothing is written twice.
 * Objects are plain `z.object`: unknown keys are stripped, so new server fields never break us.
 */
const PromptId = z.string().min(1);
const Timestamp = z.number().optional();

/** §3.1 Queue size, broadcast on every queue change; the on-connect copy also carries `sid`. */
export const StatusMessage = z.object({
  type: z.literal('status'),
  data: z.object({
    status: z.object({ exec_info: z.object({ queue_remaining: z.number() }) }).nullable().optional(),
    sid: z.string().optional(),
  }),
});

/** §3.2 */
export const ExecutionStartMessage = z.object({
  type: z.literal('execution_start'),
  data: z.object({ prompt_id: PromptId, timestamp: Timestamp }),
});

/** §3.3 Nodes whose outputs are served from the cache in this run. */
export const ExecutionCachedMessage = z.object({
  type: z.literal('execution_cached'),
  data: z.object({ nodes: z.array(z.string()), prompt_id: PromptId, timestamp: Timestamp }),
});

/**
 * §3.4 A node starts. `node: null` ends the prompt. Without `prompt_id` it is the reconnect
 * hint the server sends to a returning client whose prompt is running.
 */
export const ExecutingMessage = z.object({
  type: z.literal('executing'),
  data: z.object({ node: z.string().nullable(), display_node: z.string().optional(), prompt_id: PromptId.optional() }),
});

/** §3.5 Progress of the running node (sampler step k of N). Older servers omit `prompt_id`. */
export const ProgressMessage = z.object({
  type: z.literal('progress'),
  data: z.object({ value: z.number(), max: z.number(), prompt_id: PromptId.optional(), node: z.string().nullable().optional() }),
});

/** One node's entry in a `progress_state` snapshot. */
export const NodeProgressState = z.object({
  value: z.number(),
  max: z.number(),
  state: z.string(),
  node_id: z.string(),
  prompt_id: z.string().optional(),
  display_node_id: z.string().optional(),
  parent_node_id: z.string().nullable().optional(),
  real_node_id: z.string().nullable().optional(),
  /** Newer servers: what a running node spends its time on (`"loading"`); absent when nothing is said. */
  activity: z.string().optional(),
});

/** §3.6 Full snapshot of every node touched so far in the run. */
export const ProgressStateMessage = z.object({
  type: z.literal('progress_state'),
  data: z.object({ prompt_id: PromptId, nodes: z.record(z.string(), NodeProgressState) }),
});

/**
 * §7.4 A node's UI output: an object of lists (`images`, `gifs`, `audio`, `animated`, `text`...).
 * Custom nodes add their own keys, so values are kept as they are.
 */
export const NodeOutput = z.record(z.string(), z.unknown());

/** §3.7 A node produced UI output (also re-sent for cached output nodes). */
export const ExecutedMessage = z.object({
  type: z.literal('executed'),
  data: z.object({
    node: z.string(),
    display_node: z.string().optional(),
    output: NodeOutput.nullable(),
    prompt_id: PromptId,
    merge: z.boolean().optional(),
  }),
});

/** §3.8 */
export const ExecutionSuccessMessage = z.object({
  type: z.literal('execution_success'),
  data: z.object({ prompt_id: PromptId, timestamp: Timestamp }),
});

/** §3.9 The payload of `execution_error` (also stored in history `status.messages`). */
export const ExecutionErrorData = z.object({
  prompt_id: PromptId,
  node_id: z.string(),
  node_type: z.string(),
  executed: z.array(z.string()).default([]),
  exception_message: z.string(),
  exception_type: z.string(),
  traceback: z.array(z.string()).default([]),
  current_inputs: z.unknown().optional(),
  current_outputs: z.unknown().optional(),
  timestamp: Timestamp,
});
export const ExecutionErrorMessage = z.object({ type: z.literal('execution_error'), data: ExecutionErrorData });

/** §3.10 The payload of `execution_interrupted`. */
export const ExecutionInterruptedData = z.object({
  prompt_id: PromptId,
  node_id: z.string().optional(),
  node_type: z.string().optional(),
  executed: z.array(z.string()).default([]),
  timestamp: Timestamp,
});
export const ExecutionInterruptedMessage = z.object({ type: z.literal('execution_interrupted'), data: ExecutionInterruptedData });

/**
 * The server's feature flags (the WebSocket reply and `GET /features`): 0.8.0 sends
 * `supports_preview_metadata`, `max_upload_size` and `extension`; newer servers add
 * `supports_model_type_tags`, `node_replacements`, `assets` and flags given with `--feature-flag`.
 * Every key is kept; a known key of an unexpected type reads as absent.
 */
export const FeatureFlags = z.looseObject({
  supports_preview_metadata: z.boolean().optional().catch(undefined),
  max_upload_size: z.number().optional().catch(undefined),
  supports_model_type_tags: z.boolean().optional().catch(undefined),
  node_replacements: z.boolean().optional().catch(undefined),
  assets: z.boolean().optional().catch(undefined),
});
export type FeatureFlags = z.infer<typeof FeatureFlags>;

/** §3.11 The server's feature flags, in reply to ours. */
export const FeatureFlagsMessage = z.object({ type: z.literal('feature_flags'), data: z.record(z.string(), z.unknown()) });

/** §3.12 Terminal log lines, pushed only to subscribed clients. */
export const LogsMessage = z.object({
  type: z.literal('logs'),
  data: z.object({
    entries: z.array(z.object({ t: z.string(), m: z.string() })),
    size: z.object({ cols: z.number(), rows: z.number() }).nullable().optional(),
  }),
});

/** Every JSON message type comfyui-rx knows, discriminated by `type`. */
export const KnownMessage = z.discriminatedUnion('type', [
  StatusMessage,
  ExecutionStartMessage,
  ExecutionCachedMessage,
  ExecutingMessage,
  ProgressMessage,
  ProgressStateMessage,
  ExecutedMessage,
  ExecutionSuccessMessage,
  ExecutionErrorMessage,
  ExecutionInterruptedMessage,
  FeatureFlagsMessage,
  LogsMessage,
]);

/** A message of a type we do not know (custom nodes, newer servers): passed through untouched. */
export const UnknownMessage = z.object({ type: z.literal('unknown'), rawType: z.string(), data: z.unknown() });

export type StatusMessage = z.infer<typeof StatusMessage>;
export type ExecutionStartMessage = z.infer<typeof ExecutionStartMessage>;
export type ExecutionCachedMessage = z.infer<typeof ExecutionCachedMessage>;
export type ExecutingMessage = z.infer<typeof ExecutingMessage>;
export type ProgressMessage = z.infer<typeof ProgressMessage>;
export type NodeProgressState = z.infer<typeof NodeProgressState>;
export type ProgressStateMessage = z.infer<typeof ProgressStateMessage>;
export type NodeOutput = z.infer<typeof NodeOutput>;
export type ExecutedMessage = z.infer<typeof ExecutedMessage>;
export type ExecutionSuccessMessage = z.infer<typeof ExecutionSuccessMessage>;
export type ExecutionErrorData = z.infer<typeof ExecutionErrorData>;
export type ExecutionErrorMessage = z.infer<typeof ExecutionErrorMessage>;
export type ExecutionInterruptedData = z.infer<typeof ExecutionInterruptedData>;
export type ExecutionInterruptedMessage = z.infer<typeof ExecutionInterruptedMessage>;
export type FeatureFlagsMessage = z.infer<typeof FeatureFlagsMessage>;
export type LogsMessage = z.infer<typeof LogsMessage>;
export type KnownMessage = z.infer<typeof KnownMessage>;
export type UnknownMessage = z.infer<typeof UnknownMessage>;

/** Everything the shared socket emits: JSON messages, decoded binary frames, and unknown types. */
export type ComfyMessage = KnownMessage | BinaryMessage | UnknownMessage;
export type ComfyMessageType = ComfyMessage['type'];

const Envelope = z.object({ type: z.string().min(1), data: z.unknown() });
const KNOWN_TYPES: ReadonlySet<string> = new Set(KnownMessage.options.map((o) => o.shape.type.value));

/**
 * One text frame parsed as JSON, with its `type` read but its payload not yet validated (see
 * {@link readFrame}): the socket validates only the frames someone uses ({@link frameMessage}).
 */
export interface Frame {
  readonly type: string;
  /** The whole frame as parsed (Python's JSON dialect). */
  readonly json: unknown;
  /** The text, for error excerpts. */
  readonly text: string;
}

/**
 * Parses one text frame. Unknown `type` -> `{ type: 'unknown', rawType, data }`.
 * Throws {@link ComfyProtocolError} for a frame that is not JSON, has no `type`, or is a known
 * type with a malformed payload.
 */
export function parseMessage(text: string): KnownMessage | UnknownMessage {
  return frameMessage(readFrame(text));
}

/**
 * The first half of {@link parseMessage}: the frame as JSON and its `type`.
 * @throws ComfyProtocolError for a frame that is not JSON or has no `{type, data}`.
 */
export function readFrame(text: string): Frame {
  let json: unknown;
  try {
    json = parsePythonJson(text); // Python's dialect: NaN / Infinity (pythonJson.ts)
  } catch (cause) {
    throw new ComfyProtocolError('Frame is not JSON', { excerpt: text.slice(0, 120) }, { cause });
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && type.length > 0 && !Array.isArray(json)) return { type, json, text };
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) {
    throw new ComfyProtocolError('Frame lacks {type, data}', { issues: envelope.error.issues, excerpt: text.slice(0, 120) });
  }
  return { type: envelope.data.type, json, text };
}

/**
 * The second half of {@link parseMessage}: the frame's payload validated by its type's schema (the
 * frequent frames of a running prompt by a compiled guard first, see `hotFrame`).
 * @throws ComfyProtocolError for a known type with a malformed payload.
 */
export function frameMessage(frame: Frame): KnownMessage | UnknownMessage {
  const { type, json, text } = frame;
  if (!KNOWN_TYPES.has(type)) return { type: 'unknown', rawType: type, data: (json as { data?: unknown }).data };
  const hot = hotFrame(json);
  if (hot) return hot;
  const message = KnownMessage.safeParse(json);
  if (!message.success) {
    throw new ComfyProtocolError(`Malformed '${type}' message`, { rawType: type, issues: message.error.issues, excerpt: text.slice(0, 120) });
  }
  return message.data;
}

/** The prompt a frame says it belongs to (`data.prompt_id`), read before validation. */
export function framePromptId(frame: Frame): string | undefined {
  const data = (frame.json as { data?: unknown }).data;
  const promptId = typeof data === 'object' && data !== null ? (data as { prompt_id?: unknown }).prompt_id : undefined;
  return typeof promptId === 'string' ? promptId : undefined;
}

/** The prompt a message belongs to, when the message says so (binary type 4 included). */
export function promptIdOf(message: ComfyMessage): string | undefined {
  switch (message.type) {
    case 'execution_start':
    case 'execution_cached':
    case 'progress_state':
    case 'executed':
    case 'execution_success':
    case 'execution_error':
    case 'execution_interrupted':
    case 'executing':
    case 'progress':
      return message.data.prompt_id;
    case 'preview_image':
      return message.data.metadata?.prompt_id;
    case 'status':
    case 'feature_flags':
    case 'logs':
    case 'progress_text':
    case 'unknown':
      return undefined;
    default: {
      const exhaustive: never = message;
      return exhaustive;
    }
  }
}
