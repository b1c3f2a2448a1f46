import { ComfyMalformedFileError } from '../../errors';
import { MAX_NESTING } from './limits';

/** Stand-ins for Python's `NaN`, `Infinity`, `-Infinity` while `JSON.parse` runs. */
const NON_FINITE: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };
const SENTINEL = '\u0000comfyrx-non-finite:';

/**
 * Replaces the bare `NaN`, `Infinity` and `-Infinity` that Python's `json.dumps` writes (outside
 * strings) with sentinel strings. Returns `undefined` when there are none (the common case).
 */
function markNonFinite(text: string): string | undefined {
  let out: string[] | undefined;
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === 'N' || char === 'I' || char === '-') {
      const token = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('Infinity', i) ? 'Infinity' : text.startsWith('-Infinity', i) ? '-Infinity' : undefined;
      if (token === undefined) continue;
      (out ??= []).push(text.slice(last, i), JSON.stringify(SENTINEL + token));
      i += token.length - 1;
      last = i + 1;
    }
  }
  return out ? out.join('') + text.slice(last) : undefined;
}

function parseTolerant(text: string): unknown {
  const marked = markNonFinite(text);
  if (marked === undefined) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(SENTINEL) ? NON_FINITE[value.slice(SENTINEL.length)] : value,
  );
}

/**
 * Parses an embedded `workflow`/`prompt` value as ComfyUI's frontend does: tolerant of Python's
 * non-finite numbers, starting at the first `{` when something precedes it (old MP4 writers), and
 * decoding again while the result is a JSON string (re-muxed "double/triple-encoded" files).
 * @throws ComfyMalformedFileError when the text is not JSON, or not a JSON object.
 */
export function parseEmbeddedJson(text: string, key: string, container: string): Record<string, unknown> {
  let value: unknown = text;
  for (let depth = 0; typeof value === 'string' && depth < MAX_NESTING; depth++) {
    const trimmed: string = value.trim();
    const brace = trimmed.indexOf('{');
    const start = trimmed.startsWith('"') || brace < 0 ? 0 : brace;
    try {
      value = parseTolerant(trimmed.slice(start));
    } catch (cause) {
      throw new ComfyMalformedFileError(`embedded '${key}' is not valid JSON`, container, undefined, { cause });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ComfyMalformedFileError(`embedded '${key}' is not a JSON object`, container);
  }
  return value as Record<string, unknown>;
}
