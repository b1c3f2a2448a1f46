import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Reading the recordings of comfy-api-proxy over ComfyUI 0.8.0 (`__fixtures__/traces`, see its
 * README): one JSON object per line, `exchange` (a v2 request and its answer), `upstream` (a direct
 * call to the native server), `harness` (a cleanup step of the recorder), `note`.
 */
export const V2_TRACE_DIR = join(__dirname, '__fixtures__', 'traces');

const RecordedRequest = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

const SseEvent = z.object({ t_ms: z.number(), event: z.string(), data: z.unknown() });

const RecordedResponse = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  body_binary: z.object({ bytes: z.number(), head_hex: z.string() }).passthrough().optional(),
  sse_events: z.array(SseEvent).optional(),
});

const Line = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('note'), text: z.string() }).passthrough(),
  z.object({ kind: z.literal('harness'), text: z.string(), prompt_id: z.string().optional() }).passthrough(),
  z.object({ kind: z.literal('exchange'), seq: z.number(), label: z.string(), request: RecordedRequest, response: RecordedResponse }).passthrough(),
  z.object({ kind: z.literal('upstream'), seq: z.number(), label: z.string(), request: RecordedRequest, response: RecordedResponse }).passthrough(),
]);
export type V2TraceLine = z.infer<typeof Line>;
export type V2RecordedExchange = Extract<V2TraceLine, { kind: 'exchange' }>;

/** The recording files, in the order they were made (one session: later files see earlier jobs). */
export function v2TraceNames(): string[] {
  return readdirSync(V2_TRACE_DIR)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
}

/** The lines of one recording, checked. */
export function loadV2Trace(name: string): V2TraceLine[] {
  return readFileSync(join(V2_TRACE_DIR, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => Line.parse(JSON.parse(line)));
}
