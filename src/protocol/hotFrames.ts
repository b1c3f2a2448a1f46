import type { KnownMessage } from './messages';

type Data = Record<string, unknown>;
/** A field's value did not pass: the whole frame goes to the schema. */
const FAIL = Symbol('fail');

/**
 * The compiled guards of the frames a followed prompt reads many times per run (`executing`,
 * `progress`, `execution_start`, `execution_cached`, `executed`, `execution_success`): straight-line
 * checks of a frame already parsed from JSON, with the output the protocol schema gives (unknown
 * keys stripped, the same objects and copies). `undefined` means "not decided here": another type,
 * or anything unusual (the caller then runs the zod schema, which stays the one definition of each
 * frame and words the errors). Property-tested against the schemas: whatever a guard accepts, the
 * schema accepts with an equal output.
 * @param json A frame parsed from JSON (`JSON.parse` output: plain objects, no symbols).
 * @example const message = hotFrame(json) ?? KnownMessage.parse(json);
 */
export function hotFrame(json: unknown): KnownMessage | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { type, data } = json as Data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Data;
  switch (type) {
    case 'executing': {
      const node = d.node;
      if (node !== null && typeof node !== 'string') return undefined;
      const out: Data = { node };
      if (optionalString(d, 'display_node', 0, out) === FAIL || optionalString(d, 'prompt_id', 1, out) === FAIL) return undefined;
      return { type, data: out } as KnownMessage;
    }
    case 'progress': {
      const { value, max } = d;
      if (!isFiniteNumber(value) || !isFiniteNumber(max)) return undefined;
      const out: Data = { value, max };
      if (optionalString(d, 'prompt_id', 1, out) === FAIL) return undefined;
      if ('node' in d) {
        const node = d.node;
        if (node !== null && node !== undefined && typeof node !== 'string') return undefined;
        out.node = node;
      }
      return { type, data: out } as KnownMessage;
    }
    case 'execution_start':
    case 'execution_success': {
      const out = promptStamp(d);
      return out && ({ type, data: out } as KnownMessage);
    }
    case 'execution_cached': {
      const nodes = d.nodes;
      if (!Array.isArray(nodes) || !nodes.every(isString)) return undefined;
      const stamp = promptStamp(d);
      if (!stamp) return undefined;
      return { type, data: { nodes: nodes.slice(), ...stamp } } as KnownMessage;
    }
    case 'executed': {
      const { node, output } = d;
      if (typeof node !== 'string' || !isPromptId(d.prompt_id)) return undefined;
      const out: Data = { node };
      if (optionalString(d, 'display_node', 0, out) === FAIL) return undefined;
      if (output === null) out.output = null;
      else if (isJsonObject(output)) out.output = copyRecord(output as Data);
      else return undefined;
      out.prompt_id = d.prompt_id;
      if ('merge' in d) {
        if (d.merge !== undefined && typeof d.merge !== 'boolean') return undefined;
        out.merge = d.merge;
      }
      return { type, data: out } as KnownMessage;
    }
    default:
      return undefined;
  }
}

/** `{ prompt_id, timestamp? }`, or undefined. */
function promptStamp(d: Data): Data | undefined {
  if (!isPromptId(d.prompt_id)) return undefined;
  const out: Data = { prompt_id: d.prompt_id };
  if ('timestamp' in d) {
    if (d.timestamp !== undefined && !isFiniteNumber(d.timestamp)) return undefined;
    out.timestamp = d.timestamp;
  }
  return out;
}

/** Copies an optional string field (at least `min` characters) into `out`; FAIL when it is present and wrong. */
function optionalString(d: Data, key: string, min: number, out: Data): typeof FAIL | undefined {
  if (!(key in d)) return undefined;
  const value = d[key];
  if (value !== undefined && (typeof value !== 'string' || value.length < min)) return FAIL;
  out[key] = value;
  return undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isPromptId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A plain object as JSON.parse makes them (the only kind the record schema takes without a second look). */
function isJsonObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

/** A record of unknown values as zod's record copies it: own enumerable string keys, `__proto__` left out. */
function copyRecord(record: Data): Data {
  const out: Data = {};
  for (const key of Object.keys(record)) if (key !== '__proto__') out[key] = record[key];
  return out;
}
