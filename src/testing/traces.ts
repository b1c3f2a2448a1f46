import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isPlainObject } from '../util/isPlainObject';

/**
 * Reading the recordings of a real ComfyUI 0.8.0 (src/testing/__fixtures__/traces, see its
 * README) and normalizing frames so a run against the fake can be compared with them.
 */

/** Where the committed recordings live (source tree only: fixtures are not built into dist). */
export const TRACE_DIR = join(__dirname, '__fixtures__', 'traces');

const Frame = z.object({ type: z.string(), data: z.unknown() });
const BinaryFrame = z.object({
  binary: z.literal(true),
  len: z.number(),
  type: z.number(),
  image_type: z.number().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
const RawLine = z.object({
  t: z.number(),
  ws: z.string().optional(),
  event: z.string().optional(),
  url: z.string().optional(),
  code: z.number().optional(),
  frame: z.unknown().optional(),
  http: z.string().optional(),
  request: z.unknown().optional(),
  status: z.number().optional(),
  body: z.unknown().optional(),
  note: z.string().optional(),
});

/** A frame a client received: parsed JSON, or the header of a binary frame. */
export type ObservedFrame =
  | { readonly kind: 'text'; readonly message: { readonly type: string; readonly data: unknown } }
  | {
      readonly kind: 'binary';
      readonly eventType: number;
      readonly length: number;
      readonly imageType?: number;
      readonly metadata?: Readonly<Record<string, unknown>>;
      /** The image bytes (live frames only; recordings keep just the length). */
      readonly image?: Buffer;
    };

/** One line of a recording. `t` is ms since the scenario began. */
export type TraceEvent =
  | { readonly kind: 'open'; readonly t: number; readonly ws: string; readonly url: string }
  | { readonly kind: 'close'; readonly t: number; readonly ws: string; readonly code?: number }
  | { readonly kind: 'sent'; readonly t: number; readonly ws: string; readonly frame: unknown }
  | { readonly kind: 'frame'; readonly t: number; readonly ws: string; readonly frame: ObservedFrame }
  | { readonly kind: 'http'; readonly t: number; readonly method: string; readonly path: string; readonly request: unknown; readonly status: number; readonly body: unknown }
  | { readonly kind: 'note'; readonly t: number; readonly note: string };

function toEvent(line: z.infer<typeof RawLine>): TraceEvent {
  const { t } = line;
  if (line.note !== undefined) return { kind: 'note', t, note: line.note };
  if (line.http !== undefined) {
    const [method = 'GET', path = '/'] = line.http.split(' ');
    return { kind: 'http', t, method, path, request: line.request, status: line.status ?? 0, body: line.body };
  }
  const ws = line.ws ?? '';
  if (line.event === 'open') return { kind: 'open', t, ws, url: line.url ?? '' };
  if (line.event === 'close') return { kind: 'close', t, ws, code: line.code };
  if (line.event === 'sent') return { kind: 'sent', t, ws, frame: line.frame };
  const binary = BinaryFrame.safeParse(line.frame);
  if (binary.success) {
    const { type, len, image_type, metadata } = binary.data;
    return { kind: 'frame', t, ws, frame: { kind: 'binary', eventType: type, length: len, imageType: image_type, metadata } };
  }
  return { kind: 'frame', t, ws, frame: { kind: 'text', message: Frame.parse(line.frame) } };
}

/** Reads `<name>.jsonl` (e.g. `loadTrace('success')`). */
export function loadTrace(name: string, dir = TRACE_DIR): TraceEvent[] {
  return readFileSync(join(dir, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => toEvent(RawLine.parse(JSON.parse(line))));
}

/** Reads a JSON fixture (`history_success`, ...). */
export function loadJsonFixture(name: string, dir = TRACE_DIR): unknown {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
}

/** Frames one socket received, in order. */
export function framesOf(trace: readonly TraceEvent[], ws: string): ObservedFrame[] {
  return trace.flatMap((event) => (event.kind === 'frame' && event.ws === ws ? [event.frame] : []));
}

const sorted = (value: unknown) => (Array.isArray(value) ? [...value].map(String).sort() : value);

/**
 * Comparable form of a frame sequence: timestamps dropped, prompt ids replaced by `P1`, `P2`...
 * (first appearance), minted sids by `<minted>`, `progress_state` reduced to `state value/max` per
 * node, error details reduced to what must match (type, message, node, input names), sets sorted,
 * binary frames reduced to their event type, image type and metadata keys.
 */
export function normalizeFrames(frames: readonly ObservedFrame[]): unknown[] {
  const aliases = new Map<string, string>();
  const alias = (id: unknown) => {
    if (typeof id !== 'string') return id;
    let name = aliases.get(id);
    if (!name) {
      name = `P${aliases.size + 1}`;
      aliases.set(id, name);
    }
    return name;
  };
  return frames.map((frame) => {
    if (frame.kind === 'binary') {
      return frame.metadata
        ? { binary: frame.eventType, metadataKeys: Object.keys(frame.metadata).sort(), prompt: alias(frame.metadata.prompt_id) }
        : { binary: frame.eventType, imageType: frame.imageType };
    }
    const { type, data } = frame.message;
    if (!isPlainObject(data)) return { type, data };
    const out: Record<string, unknown> = { ...data };
    delete out.timestamp;
    if ('prompt_id' in out) out.prompt_id = alias(out.prompt_id);
    if (typeof out.sid === 'string' && /^[0-9a-f]{32}$/.test(out.sid)) out.sid = '<minted>';
    switch (type) {
      case 'progress_state': {
        const nodes = isPlainObject(out.nodes) ? out.nodes : {};
        out.nodes = Object.fromEntries(
          Object.entries(nodes).map(([id, state]) => [id, isPlainObject(state) ? `${String(state.state)} ${String(state.value)}/${String(state.max)}` : state]),
        );
        break;
      }
      case 'execution_error':
        out.executed = sorted(out.executed);
        out.current_outputs = sorted(out.current_outputs);
        out.current_inputs = isPlainObject(out.current_inputs) ? Object.keys(out.current_inputs).sort() : out.current_inputs;
        out.traceback = Array.isArray(out.traceback) ? out.traceback.length : out.traceback;
        break;
      case 'execution_interrupted':
      case 'execution_cached':
        if ('executed' in out) out.executed = sorted(out.executed);
        break;
      default:
        break;
    }
    return { type, ...out };
  });
}
