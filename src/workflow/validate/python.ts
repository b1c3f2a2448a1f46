import { equalByContent } from '../../util/jsonEqual';
import { PyException } from './pyException';

/**
 * Python semantics the validator copies, over JSON values as `json.loads` gives them to Python:
 * `int()`, `float()`, `str()`, `bool()`, `repr()`, `==`, `<`, `in` and `[]`, with the exceptions
 * and messages Python raises. A JSON number that is an integer stands for a Python `int`.
 */

/** `repr()` of a string: single quotes unless the text holds a single quote and no double quote. */
export function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // eslint-disable-next-line no-control-regex
  let escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (quote === "'") escaped = escaped.replace(/'/g, "\\'");
  return quote + escaped + quote;
}

/** `repr()` of a float: `2.0`, `1e-05`, `1e+16`, `inf`, `nan`. */
export function pyFloatText(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Object.is(value, -0)) return '-0.0';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** `repr()` of a number as JSON gave it: integers as Python ints, others as floats. */
function pyNumberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : pyFloatText(value);
}

/** `repr()` of a JSON value (after `json.loads`). */
export function pyRepr(value: unknown): string {
  // Iterative over nesting: a deeply nested value must not overflow the stack.
  const out: string[] = [];
  const todo: unknown[] = [value];
  const TEXT = Symbol('text');
  type Text = { [TEXT]: string };
  const text = (t: string): Text => ({ [TEXT]: t });
  while (todo.length > 0) {
    const item = todo.pop();
    if (typeof item === 'object' && item !== null && TEXT in item) {
      out.push((item as Text)[TEXT]);
      continue;
    }
    if (item === null || item === undefined) out.push('None');
    else if (item === true) out.push('True');
    else if (item === false) out.push('False');
    else if (typeof item === 'number') out.push(pyNumberText(item));
    else if (typeof item === 'string') out.push(pyReprString(item));
    else if (Array.isArray(item)) {
      const parts: unknown[] = [text('[')];
      item.forEach((element, index) => parts.push(...(index > 0 ? [text(', ')] : []), element));
      parts.push(text(']'));
      for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    } else if (typeof item === 'object') {
      const parts: unknown[] = [text('{')];
      Object.entries(item as Record<string, unknown>).forEach(([key, element], index) => parts.push(text(`${index > 0 ? ', ' : ''}${pyReprString(key)}: `), element));
      parts.push(text('}'));
      for (let i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    } else out.push(String(item));
  }
  return out.join('');
}

/** `str()` of a JSON value. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Python's type name of a JSON value (`NoneType`, `bool`, `int`, `float`, `str`, `list`, `dict`). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

const INT_LITERAL = /^[+-]?\d+(_\d+)*$/;
const FLOAT_LITERAL = /^[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)(e[+-]?\d+(_\d+)*)?$/i;
const PY_WHITESPACE = /^[\s\u001c-\u001f]+|[\s\u001c-\u001f]+$/g;

/** `int(value)`; throws the ValueError / TypeError / OverflowError Python would. */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new PyException('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw new PyException('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value) + 0;
  }
  if (typeof value === 'string') {
    const trimmed = value.replace(PY_WHITESPACE, '');
    if (INT_LITERAL.test(trimmed)) return Number.parseInt(trimmed.replace(/_/g, ''), 10) + 0; // no -0 among Python ints
    throw new PyException('ValueError', `invalid literal for int() with base 10: ${pyReprString(value)}`);
  }
  throw new PyException('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`);
}

/** `float(value)`, `"inf"`, `"-infinity"` and `"nan"` included. */
export function pyFloat(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.replace(PY_WHITESPACE, '');
    if (FLOAT_LITERAL.test(trimmed)) return Number.parseFloat(trimmed.replace(/_/g, ''));
    const lower = trimmed.toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(lower)) return Number.NaN;
    throw new PyException('ValueError', `could not convert string to float: ${pyReprString(value)}`);
  }
  throw new PyException('TypeError', `float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
}

/** `bool(value)`: Python truthiness (`bool("false")` is `True`). */
export function pyBool(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return !Number.isNaN(value);
}

const isNumeric = (value: unknown): value is number | boolean => typeof value === 'number' || typeof value === 'boolean';

/** `a == b` between JSON values (`1 == 1.0 == True`; lists and dicts compare by content). */
export function pyEquals(a: unknown, b: unknown): boolean {
  return equalByContent(a, b, pyLeafEquals);
}

/** `==` of two Python values that are not both lists or both dicts (those compare by content); `undefined` for two objects. */
function pyLeafEquals(x: unknown, y: unknown): boolean | undefined {
  if (isNumeric(x) && isNumeric(y)) return Number(x) === Number(y);
  if (x === null || x === undefined || y === null || y === undefined) return (x ?? null) === (y ?? null);
  if (typeof x !== typeof y) return false;
  if (typeof x !== 'object') return x === y;
  return undefined;
}

/** `a < b` (or `a > b` with `greater`); throws Python's TypeError between types it cannot order. */
export function pyCompare(a: unknown, b: unknown, greater: boolean): boolean {
  if (isNumeric(a) && isNumeric(b)) return greater ? Number(a) > Number(b) : Number(a) < Number(b);
  if (typeof a === 'string' && typeof b === 'string') return greater ? a > b : a < b;
  throw new PyException('TypeError', `'${greater ? '>' : '<'}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

const isHashable = (value: unknown): boolean => value === null || value === undefined || typeof value !== 'object';

/** `key in container` for a dict (JSON object), list or str; raises as Python does for other types. */
export function pyContains(container: unknown, key: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof key !== 'string') throw new PyException('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(key)}`);
    return container.includes(key);
  }
  if (Array.isArray(container)) return container.some((element) => pyEquals(element, key));
  if (typeof container === 'object' && container !== null) {
    if (!isHashable(key)) throw new PyException('TypeError', `unhashable type: '${pyTypeName(key)}'`);
    return typeof key === 'string' && Object.prototype.hasOwnProperty.call(container, key);
  }
  throw new PyException('TypeError', `argument of type '${pyTypeName(container)}' is not iterable`);
}

/** `container[key]` for a dict (JSON object), list or str, with Python's KeyError / TypeError / IndexError. */
export function pyGetItem(container: unknown, key: unknown, frames: readonly string[] = []): unknown {
  if (Array.isArray(container) || typeof container === 'string') {
    const kind = Array.isArray(container) ? 'list' : 'string';
    if (typeof key === 'boolean' || (typeof key === 'number' && Number.isInteger(key))) {
      const index = Number(key) < 0 ? container.length + Number(key) : Number(key);
      if (index < 0 || index >= container.length) throw new PyException('IndexError', `${kind} index out of range`, frames);
      return container[index];
    }
    const detail = kind === 'list' ? `list indices must be integers or slices, not ${pyTypeName(key)}` : `string indices must be integers, not '${pyTypeName(key)}'`;
    throw new PyException('TypeError', detail, frames);
  }
  if (typeof container === 'object' && container !== null) {
    if (!isHashable(key)) throw new PyException('TypeError', `unhashable type: '${pyTypeName(key)}'`, frames);
    if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(container, key)) return (container as Record<string, unknown>)[key];
    throw new PyException('KeyError', pyRepr(key), frames);
  }
  throw new PyException('TypeError', `'${pyTypeName(container)}' object is not subscriptable`, frames);
}

/** `t[index]` on a tuple (a node's `RETURN_TYPES`). */
export function pyTupleIndex(tuple: readonly unknown[], index: unknown, frames: readonly string[] = []): unknown {
  if (typeof index === 'boolean' || (typeof index === 'number' && Number.isInteger(index))) {
    const at = Number(index) < 0 ? tuple.length + Number(index) : Number(index);
    if (at < 0 || at >= tuple.length) throw new PyException('IndexError', 'tuple index out of range', frames);
    return tuple[at];
  }
  throw new PyException('TypeError', `tuple indices must be integers or slices, not ${pyTypeName(index)}`, frames);
}

/** `d.get(key, default)`: `d` must be a dict (else Python's AttributeError). */
export function pyDictGet(container: unknown, key: string, fallback: unknown): unknown {
  if (typeof container !== 'object' || container === null || Array.isArray(container)) {
    throw new PyException('AttributeError', `'${pyTypeName(container)}' object has no attribute 'get'`);
  }
  return Object.prototype.hasOwnProperty.call(container, key) ? (container as Record<string, unknown>)[key] : fallback;
}
