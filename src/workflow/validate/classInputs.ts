import type { NodeClass } from '../objectInfoIndex';
import { isPlainObject } from '../../util/isPlainObject';

/** One input `validate_inputs` checks: its (finalized) name, category and declared `[type, options]`. */
export interface CheckedInput {
  readonly name: string;
  readonly category: 'required' | 'optional';
  readonly type: unknown;
  readonly options: Readonly<Record<string, unknown>>;
}

const AUTOGROW = 'COMFY_AUTOGROW_V3';
const DYNAMIC_COMBO = 'COMFY_DYNAMICCOMBO_V3';

const staticCache = new WeakMap<NodeClass, readonly CheckedInput[]>();

/**
 * The inputs ComfyUI validates for one node: the declared required then optional inputs, with v3
 * dynamic inputs expanded against the node's own values as `_io.get_finalized_class_inputs`
 * does: an Autogrow input becomes its template inputs (`images.image0`, ...; the first `min`
 * required), a DynamicCombo adds the inputs of the selected option (`resize_type.match`) and
 * itself. Classes without dynamic inputs are laid out once.
 */
export function classInputs(nodeClass: NodeClass, liveInputs: unknown): readonly CheckedInput[] {
  const cached = staticCache.get(nodeClass);
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
    } else {
      out.push({ name: id, category, type, options });
    }
  }
  if (!dynamic) staticCache.set(nodeClass, out);
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
