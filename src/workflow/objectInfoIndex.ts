import { z } from 'zod';
import { ComfyProtocolError } from '../errors';
import { type InputOptions, NodeDefinition } from '../protocol/objectInfo';
import { formatIssues } from '../util/formatIssues';
import { isPlainObject } from '../util/isPlainObject';
import type { ServerTraits } from './server/serverTraits';

/** One declared input of a node class, in the server's declared order. */
export interface DeclaredInput {
  readonly name: string;
  readonly category: 'required' | 'optional';
  /** The type name: `"INT"`, `"IMAGE"`, `"IMAGE,MASK"`, `"*"`; `"COMBO"` for both combo forms. */
  readonly type: string;
  /** The values of a combo (legacy list form, or the v3 `options`); undefined for other types. */
  readonly combo?: readonly unknown[];
  readonly options: InputOptions;
  /**
   * The spec as the server declared it, unparsed: `[type, options]` (`{}` without options), as
   * ComfyUI prints it in `input_config` and as its validation reads it.
   */
  readonly config: readonly [type: unknown, options: Readonly<Record<string, unknown>>];
}

/** One output slot of a node class. */
export interface DeclaredOutput {
  readonly index: number;
  /** The type name; `"COMBO"` for an output that carries a list of values. */
  readonly type: string;
  readonly name: string;
  readonly isList: boolean;
}

/** A node class of `/object_info`, with its inputs and outputs laid out for lookups. */
export interface NodeClass {
  readonly name: string;
  readonly definition: NodeDefinition;
  /** Required then optional inputs, each group in `input_order` (or key order without it). */
  readonly inputs: readonly DeclaredInput[];
  readonly inputsByName: ReadonlyMap<string, DeclaredInput>;
  /** Hidden inputs (`prompt`, `extra_pnginfo`, `unique_id`, ...): filled in by the server. */
  readonly hidden: readonly string[];
  readonly outputs: readonly DeclaredOutput[];
  readonly outputNode: boolean;
}

const RawObjectInfo = z.record(z.string(), z.unknown());

/**
 * `/object_info` as data, indexed by class name. Classes are parsed on first use, so indexing a
 * 400 KB answer costs one shallow check; a malformed class fails with a `ComfyProtocolError`
 * naming it when it is looked up, and never affects the others.
 * ```ts
 * const index = ObjectInfoIndex.from(await firstValueFrom(comfy.http.objectInfo()));
 * index.get('KSampler')?.inputsByName.get('seed')?.options.max;
 * ```
 */
export class ObjectInfoIndex {
  private readonly parsed = new Map<string, NodeClass>();

  private constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    /**
     * What the server told about itself when this answer was fetched (version, flags, node
     * replacements), if known: validation answers as that server, conversion applies its
     * replacements.
     */
    readonly server?: ServerTraits,
  ) {}

  /**
   * Indexes a `/object_info` answer (parsed JSON), with what the server told about itself when it
   * has that; throws `ComfyProtocolError` when it is not an object. An index given with new
   * `server` traits is the same classes with those traits.
   */
  static from(objectInfo: unknown, server?: ServerTraits): ObjectInfoIndex {
    if (objectInfo instanceof ObjectInfoIndex) return server === undefined ? objectInfo : new ObjectInfoIndex(objectInfo.raw, server);
    const checked = RawObjectInfo.safeParse(objectInfo);
    if (!checked.success) throw new ComfyProtocolError(`Invalid /object_info: ${formatIssues(checked.error.issues)}`, { issues: checked.error.issues });
    return new ObjectInfoIndex(checked.data, server);
  }

  has(classType: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, classType);
  }

  /** Every class name, in the server's order. */
  classTypes(): string[] {
    return Object.keys(this.raw);
  }

  /** The class, or undefined when the server does not have it. */
  get(classType: string): NodeClass | undefined {
    if (!this.has(classType)) return undefined;
    let found = this.parsed.get(classType);
    if (!found) {
      const checked = NodeDefinition.safeParse(this.raw[classType]);
      if (!checked.success) {
        throw new ComfyProtocolError(`Invalid /object_info entry '${classType}': ${formatIssues(checked.error.issues)}`, { issues: checked.error.issues });
      }
      found = layOut(classType, checked.data, this.raw[classType]);
      this.parsed.set(classType, found);
    }
    return found;
  }
}

/** `[type, options]` of one raw spec, as ComfyUI's `get_input_info` reads it. */
function rawConfig(rawInput: unknown, category: string, inputName: string): DeclaredInput['config'] {
  const specs = isPlainObject(rawInput) ? rawInput[category] : undefined;
  const spec = isPlainObject(specs) ? specs[inputName] : undefined;
  if (!Array.isArray(spec)) return [undefined, {}];
  return [spec[0], spec.length > 1 && isPlainObject(spec[1]) ? spec[1] : {}];
}

/**
 * Lays out input specs as `DeclaredInput`s: required then optional, each in `order` (`input_order`)
 * then key order. Used for a class's inputs and for nested specs (the options of a V3 DynamicCombo).
 * `rawInput` is the same `input` object unparsed, for each input's `config`.
 */
export function declareInputs(input: NodeDefinition['input'], order?: NodeDefinition['input_order'], rawInput: unknown = input): DeclaredInput[] {
  const inputs: DeclaredInput[] = [];
  for (const category of ['required', 'optional'] as const) {
    const specs = input[category] ?? {};
    const ordered = order?.[category] ?? Object.keys(specs);
    const names = [...ordered.filter((key) => key in specs), ...Object.keys(specs).filter((key) => !ordered.includes(key))];
    for (const inputName of names) {
      const [type, options] = specs[inputName]!;
      const combo = Array.isArray(type) ? type : type === 'COMBO' ? (options.options ?? []) : undefined;
      const config = rawConfig(rawInput, category, inputName);
      inputs.push({ name: inputName, category, type: Array.isArray(type) ? 'COMBO' : type, ...(combo ? { combo } : {}), options, config });
    }
  }
  return inputs;
}

function layOut(name: string, definition: NodeDefinition, raw: unknown): NodeClass {
  const inputs = declareInputs(definition.input, definition.input_order, isPlainObject(raw) ? raw.input : undefined);
  const outputs = definition.output.map(
    (type, index): DeclaredOutput => ({
      index,
      type: Array.isArray(type) ? 'COMBO' : type,
      name: definition.output_name?.[index] ?? (Array.isArray(type) ? 'COMBO' : type),
      isList: definition.output_is_list?.[index] === true,
    }),
  );
  return {
    name,
    definition,
    inputs,
    inputsByName: new Map(inputs.map((input) => [input.name, input])),
    hidden: Object.keys(definition.input.hidden ?? {}),
    outputs,
    outputNode: definition.output_node === true,
  };
}
