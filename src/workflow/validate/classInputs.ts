import type { NodeClass } from '../objectInfoIndex';
import { isPlainObject } from '../../util/isPlainObject';
import type { ServerDialect } from '../server/serverTraits';

/** One input `validate_inputs` checks: its (finalized) name, category and declared `[type, options]`. */
export interface CheckedInput {
  readonly name: string;
  readonly category: 'required' | 'optional';
  readonly type: unknown;
  readonly options: Readonly<Record<string, unknown>>;
}

const AUTOGROW = 'COMFY_AUTOGROW_V3';
const DYNAMIC_COMBO = 'COMFY_DYNAMICCOMBO_V3';
/** Newer servers' (internal, unstable) repeated widget rows: `group.<row>.<field>`. */
const DYNAMIC_GROUP = 'COMFY_DYNAMICGROUP_V3';
/** `_DynamicGroup._MaxRows`. */
const MAX_GROUP_ROWS = 20;

/**
 * `_io.DynamicInputError`: a node's values do not fit one of its dynamic inputs (newer servers
 * answer `invalid_dynamic_input`, naming `inputName`).
 */
export class DynamicInputError extends Error {
  constructor(
    readonly inputName: string,
    message: string,
  ) {
    super(message);
    this.name = 'DynamicInputError';
  }
}

const staticCache: Record<ServerDialect, WeakMap<NodeClass, readonly CheckedInput[]>> = { '0.8.0': new WeakMap(), '0.38.1': new WeakMap() };

/**
 * The inputs ComfyUI validates for one node: the declared required then optional inputs, with v3
 * dynamic inputs expanded against the node's own values as `_io.get_finalized_class_inputs`
 * does: an Autogrow input becomes its template inputs (`images.image0`, ...; the first `min`
 * required), a DynamicCombo adds the inputs of the selected option (`resize_type.match`) and
 * itself; on newer servers a DynamicGroup its submitted rows (`rows.0.text`), throwing
 * {@link DynamicInputError} for keys that do not fit. Classes without dynamic inputs are laid
 * out once per dialect.
 */
export function classInputs(nodeClass: NodeClass, liveInputs: unknown, dialect: ServerDialect = '0.8.0'): readonly CheckedInput[] {
  const cached = staticCache[dialect].get(nodeClass);
  if (cached) return cached;
  const live = isPlainObject(liveInputs) ? liveInputs : {};
  const out: CheckedInput[] = [];
  let dynamic = false;
  // An explicit work list (nested dynamic inputs inside options), no recursion.
  const todo: Pending[] = [];
  for (const input of nodeClass.inputs) todo.push({ prefix: '', name: input.name, category: input.category, type: input.config[0], options: { ...input.config[1] } });
  let guard = 0;
  while (todo.length > 0 && guard++ < 100_000) {
    const { prefix, name, category, type, options, final } = todo.shift()!;
    const id = prefix ? `${prefix}.${name}` : name;
    if (final) {
      out.push({ name: id, category, type, options });
    } else if (type === AUTOGROW) {
      dynamic = true;
      todo.unshift(...autogrowInputs(id, options));
    } else if (type === DYNAMIC_COMBO) {
      dynamic = true;
      todo.unshift(...dynamicComboInputs(id, category, type, options, live));
    } else if (type === DYNAMIC_GROUP && dialect !== '0.8.0') {
      dynamic = true;
      todo.unshift(...dynamicGroupInputs(id, options, live));
    } else {
      out.push({ name: id, category, type, options });
    }
  }
  if (!dynamic) staticCache[dialect].set(nodeClass, out);
  return out;
}

/** An input still to lay out; `final` ones are not expanded again (a DynamicCombo's own entry). */
type Pending = { prefix: string; name: string; category: 'required' | 'optional'; type: unknown; options: Record<string, unknown>; final?: boolean };

function specsOf(inputs: unknown, prefix: string): Pending[] {
  const pending: Pending[] = [];
  if (!isPlainObject(inputs)) return pending;
  for (const category of ['required', 'optional'] as const) {
    const group = inputs[category];
    if (!isPlainObject(group)) continue;
    for (const [name, spec] of Object.entries(group)) {
      if (!Array.isArray(spec)) continue;
      pending.push({ prefix, name, category, type: spec[0], options: spec.length > 1 && isPlainObject(spec[1]) ? spec[1] : {} });
    }
  }
  return pending;
}

/** Autogrow: `prefix0..prefix(max-1)` (or the template's `names`), required below `min` when the template input is. */
function autogrowInputs(id: string, options: Record<string, unknown>): Pending[] {
  const template = isPlainObject(options.template) ? options.template : {};
  const [first] = specsOf(template.input, id);
  if (!first) return [];
  const min = typeof template.min === 'number' ? template.min : 1;
  const names = Array.isArray(template.names)
    ? template.names.map(String)
    : Array.from({ length: Math.min(typeof template.max === 'number' ? template.max : 0, 100) }, (_, i) => `${String(template.prefix ?? '')}${i}`);
  return names.map((name, index) => ({ ...first, name, category: index < min && first.category === 'required' ? 'required' : 'optional' }));
}

/** DynamicCombo: the selected option's inputs, then the combo itself; nothing when no option is selected. */
function dynamicComboInputs(id: string, category: 'required' | 'optional', type: unknown, options: Record<string, unknown>, live: Record<string, unknown>): Pending[] {
  if (!Object.prototype.hasOwnProperty.call(live, id)) return [];
  const choices = Array.isArray(options.options) ? options.options : [];
  const selected = choices.find((choice) => isPlainObject(choice) && choice.key === live[id]);
  if (!isPlainObject(selected)) return [];
  return [...specsOf(selected.inputs, id), { prefix: '', name: id, category, type, options, final: true }];
}

/**
 * DynamicGroup (newer servers): every `id.<row>.<field>` key of the node must name a template
 * field and a row below `max` (no leading zeros), and the rows submitted must number between
 * `min` and `max`; the fields of the submitted rows are then checked like inputs.
 */
function dynamicGroupInputs(id: string, options: Record<string, unknown>, live: Record<string, unknown>): Pending[] {
  const minRows = typeof options.min === 'number' ? options.min : 0;
  const maxRows = typeof options.max === 'number' ? options.max : MAX_GROUP_ROWS;
  const fields = new Map(specsOf(options.template, '').map((field) => [field.name, field]));
  const prefix = `${id}.`;
  const rows = new Set<number>();
  for (const key of Object.keys(live)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const index = dot < 0 ? rest : rest.slice(0, dot);
    const field = dot < 0 ? undefined : rest.slice(dot + 1);
    if (field === undefined || !/^[0-9]+$/.test(index) || (index.length > 1 && index.startsWith('0')) || !fields.has(field)) {
      throw new DynamicInputError(key, `Invalid DynamicGroup input key '${key}'; expected '${id}.<index>.<template field>'.`);
    }
    const row = Number(index);
    if (row >= maxRows) throw new DynamicInputError(key, `DynamicGroup input '${key}' exceeds the index limit of ${maxRows - 1} (max=${maxRows}).`);
    rows.add(row);
  }
  if (rows.size < minRows || rows.size > maxRows) {
    throw new DynamicInputError(id, `DynamicGroup input '${id}' received ${rows.size} rows; expected between ${minRows} and ${maxRows}.`);
  }
  const pending: Pending[] = [];
  for (const row of [...rows].sort((a, b) => a - b)) {
    for (const field of fields.values()) pending.push({ ...field, prefix: `${id}.${row}`, final: true });
  }
  return pending;
}
