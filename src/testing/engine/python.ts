import { PyException } from './pythonExceptions';

/**
 * Python semantics the validator copies: `int()`, `float()`, `str()`, `bool()` coercions of
 * literal inputs and the text formats of numbers and lists in error messages.
 */

/** `repr()` of a string: single quotes unless the text holds a single quote and no double quote. */
export function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/** `str()` of a float: integers keep a `.0`. */
export function pyFloatText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value);
}

/** `repr()` of a JSON value, roughly as Python prints the same data after `json.loads`. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return pyReprString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyReprString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** `str()` of a JSON value. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** `int(value)`; throws the ValueError / TypeError Python would. */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PyException(Number.isNaN(value) ? 'ValueError' : 'OverflowError', 'cannot convert float NaN to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const trimmed = value.trim().replace(/_/g, '');
    if (/^[+-]?\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
    throw new PyException('ValueError', `invalid literal for int() with base 10: ${pyReprString(value)}`);
  }
  throw new PyException('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

/** `float(value)`. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim().toLowerCase();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(trimmed)) return Number.parseFloat(trimmed);
    if (/^[+-]?(inf|infinity)$/.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(trimmed)) return Number.NaN;
    throw new PyException('ValueError', `could not convert string to float: ${pyReprString(value)}`);
  }
  throw new PyException('TypeError', `float() argument must be a string or a real number, not '${typeName(value)}'`);
}

/** `bool(value)`: Python truthiness (`bool("false")` is `True`). */
export function pyBool(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/** Escapes every non-ASCII character as `\uXXXX`, as Python's `json.dumps` does by default. */
export function asciiJson(json: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(json) ? json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}
