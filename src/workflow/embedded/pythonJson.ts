/**
 * Serialises a JSON value in the layout of Python's `json.dumps` defaults, which ComfyUI's savers
 * use: `", "` and `": "` separators and ASCII-only text (`\uXXXX` escapes). Numbers keep
 * JavaScript's form (`8`, where Python writes `8.0`); parsed back, the values are equal.
 * @example pythonJson({ a: [1, 'é'] }) // '{"a": [1, "\\u00e9"]}'
 */
export function pythonJson(value: unknown): string {
  const compact = JSON.stringify(value);
  if (compact === undefined) throw new TypeError(`Cannot serialise ${typeof value} as JSON`);
  let out = '';
  let inString = false;
  for (let i = 0; i < compact.length; i++) {
    const char = compact[i] as string;
    const code = compact.charCodeAt(i);
    if (inString) {
      if (char === '\\') {
        out += char + (compact[i + 1] ?? '');
        i++;
        continue;
      }
      if (char === '"') inString = false;
      out += code > 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
      continue;
    }
    if (char === '"') inString = true;
    out += char === ',' ? ', ' : char === ':' ? ': ' : char;
  }
  return out;
}
