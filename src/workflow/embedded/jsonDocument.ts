import { utf8Text } from './byteCursor';
import type { ScanContext } from './scan';

/**
 * Parses a JSON document a container holds (a GLB's JSON chunk, a safetensors header, an SVG's
 * metadata) and reports `prompt`/`workflow` from `holder(document)`: strings as they are, objects
 * as their JSON text (SVG and some GLB writers store objects).
 * @param start File offset of `bytes`, for error messages.
 */
export function readJsonDocument(ctx: ScanContext, bytes: Uint8Array, start: number, what: string, holder: (document: unknown) => unknown): void {
  let document: unknown;
  try {
    document = JSON.parse(utf8Text(bytes));
  } catch (cause) {
    throw ctx.malformed(`${what} is not valid JSON`, start, cause);
  }
  const values = holder(document);
  if (typeof values !== 'object' || values === null) return;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value !== '') ctx.fields.add(key, () => value); // SaveLatent writes "" for no prompt
    else if (typeof value === 'object' && value !== null) ctx.fields.add(key, () => JSON.stringify(value));
  }
}

/** `document.a.b...`, or `undefined` when a step is missing or not an object. */
export function pathOf(document: unknown, ...keys: string[]): unknown {
  let value = document;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
