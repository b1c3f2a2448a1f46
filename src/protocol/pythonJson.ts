import { randomBytes } from 'node:crypto';

/**
 * Python's JSON dialect (comfyui-protocol.md §1: ComfyUI writes every body and frame with Python's
 * `json` module). `json.dumps` writes a non-finite float as a bare `NaN`, `Infinity` or
 * `-Infinity`, which strict JSON (and `JSON.parse`) refuses. A prompt queued by a Python script
 * with such a value shows up in `/queue`; a node's `current_inputs` in `execution_error` may hold one.
 *
 * How comfyui-rx reads them, everywhere the server speaks (HTTP bodies, WebSocket frames, preview
 * metadata): as the JavaScript numbers `NaN`, `Infinity` and `-Infinity`, never as `null`. Data the
 * library passes through untouched (workflow inputs in queue items, outputs, `current_inputs`,
 * unknown messages) keeps the value Python had. Fields the library does arithmetic with
 * (`progress.value`, a queue item's number...) are validated as finite numbers by their schemas
 * (zod's `z.number()`), as before: a non-finite value there is a protocol error, not a silent `null`.
 */

/**
 * `JSON.parse`, and only if that fails, a second parse that also accepts Python's `NaN`,
 * `Infinity` and `-Infinity` tokens (outside strings). Strict JSON pays nothing: the fallback runs
 * only on text `JSON.parse` refused.
 * @throws SyntaxError (the first parse's) for text that is not JSON in either dialect.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const tolerant = withPlaceholders(text);
    if (!tolerant) throw error;
    try {
      return JSON.parse(tolerant.text, tolerant.revive);
    } catch {
      throw error;
    }
  }
}

/** `JSON.stringify` that writes non-finite numbers as Python does (`NaN`, `Infinity`, `-Infinity`) instead of `null`. */
export function stringifyPythonJson(value: unknown): string {
  const nonce = freshNonce();
  let found = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'number' || Number.isFinite(item)) return item;
    found = true;
    return `${nonce}${Number.isNaN(item) ? 'NaN' : item > 0 ? 'Infinity' : '-Infinity'}`;
  });
  if (!found) return text;
  return text.replaceAll(`"${nonce}NaN"`, 'NaN').replaceAll(`"${nonce}Infinity"`, 'Infinity').replaceAll(`"${nonce}-Infinity"`, '-Infinity');
}

/** A marker no real string starts with by accident (72 fresh random bits per call; plain ASCII, so JSON keeps it as is). */
function freshNonce(): string {
  return `~pyjson~${randomBytes(9).toString('hex')}~`;
}

const N = 78; // 'N'
const I = 73; // 'I'
const MINUS = 45; // '-'
const QUOTE = 34; // '"'
const BACKSLASH = 92; // '\'

/**
 * The text with every `NaN` / `Infinity` / `-Infinity` token outside strings replaced by a marker
 * string, and the reviver that turns markers back into numbers; `undefined` when there is no token.
 */
function withPlaceholders(text: string): { text: string; revive: (key: string, value: unknown) => unknown } | undefined {
  let nonce: string | undefined;
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      while (i < text.length) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i += 2;
        else if (s === QUOTE) break;
        else i++;
      }
      continue;
    }
    let token: 'NaN' | 'Infinity' | '-Infinity' | undefined;
    if (c === N && text.startsWith('NaN', i)) token = 'NaN';
    else if (c === I && text.startsWith('Infinity', i)) token = 'Infinity';
    else if (c === MINUS && text.startsWith('-Infinity', i)) token = '-Infinity';
    if (!token) continue;
    nonce ??= freshNonce();
    parts.push(text.slice(copied, i), JSON.stringify(nonce + token));
    i += token.length - 1;
    copied = i + 1;
  }
  if (nonce === undefined) return undefined;
  parts.push(text.slice(copied));
  const values = new Map<string, number>([
    [`${nonce}NaN`, Number.NaN],
    [`${nonce}Infinity`, Number.POSITIVE_INFINITY],
    [`${nonce}-Infinity`, Number.NEGATIVE_INFINITY],
  ]);
  const marker = nonce;
  return {
    text: parts.join(''),
    revive: (_key, value) => (typeof value === 'string' && value.startsWith(marker) ? (values.get(value) ?? value) : value),
  };
}
