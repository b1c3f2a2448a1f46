import { randomBytes } from 'node:crypto';

/**
 * Python's JSON dialect (docs/protocol.md §1: ComfyUI writes every body and frame with Python's
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
    const tolerant = rewriteTokens(text);
    if (!tolerant) throw error;
    let value: unknown;
    try {
      value = JSON.parse(tolerant.text);
    } catch {
      throw error;
    }
    return tolerant.nanMarker === undefined ? value : restoreNaN(value, tolerant.nanMarker);
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
 * The text with every `Infinity` / `-Infinity` token outside strings written as `1e999` /
 * `-1e999` (which JSON.parse reads as the infinities, at no cost) and every `NaN` as a marker
 * string; `undefined` when there is no token.
 */
function rewriteTokens(text: string): { text: string; nanMarker?: string } | undefined {
  let nanMarker: string | undefined;
  let found = false;
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
    let token: string | undefined;
    let replacement: string | undefined;
    if (c === N && text.startsWith('NaN', i)) {
      token = 'NaN';
      nanMarker ??= freshNonce();
      replacement = `"${nanMarker}"`;
    } else if (c === I && text.startsWith('Infinity', i)) {
      token = 'Infinity';
      replacement = '1e999';
    } else if (c === MINUS && text.startsWith('-Infinity', i)) {
      token = '-Infinity';
      replacement = '-1e999';
    }
    if (token === undefined || replacement === undefined) continue;
    found = true;
    parts.push(text.slice(copied, i), replacement);
    i += token.length - 1;
    copied = i + 1;
  }
  if (!found) return undefined;
  parts.push(text.slice(copied));
  return nanMarker === undefined ? { text: parts.join('') } : { text: parts.join(''), nanMarker };
}

/** Replaces the NaN marker strings in a parsed value (iteratively: depth is the input's). */
function restoreNaN(root: unknown, marker: string): unknown {
  if (root === marker) return Number.NaN;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (item === marker) node[i] = Number.NaN;
        else if (typeof item === 'object' && item !== null) stack.push(item);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item === marker) Object.defineProperty(record, key, { value: Number.NaN, writable: true, enumerable: true, configurable: true }); // also for an own `__proto__`
      else if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return root;
}
