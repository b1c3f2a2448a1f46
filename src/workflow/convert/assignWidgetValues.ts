import { isDeepStrictEqual } from 'node:util';
import { NodeDefinition } from '../../protocol/objectInfo';
import { isPlainObject } from '../../util/isPlainObject';
import type { GraphNode } from './graph';
import { type DeclaredInput, declareInputs, type NodeClass } from '../objectInfoIndex';
import type { ValueSource } from './valueSource';
import type { ConversionWarning } from './warnings';
import { isDynamicCombo, planInputs, type PlannedWidget } from './widgetPlan';

/** A widget of a node with the value the file gives it (or its constructor default). */
export interface AssignedWidget {
  readonly name: string;
  readonly kind: 'value' | 'upload' | 'control_after_generate' | 'control_filter_list';
  readonly value: unknown;
  /** The planned widget (value widgets and the upload button). */
  readonly widget?: PlannedWidget;
  /** Where the value is (or would be, for a default) in the file. */
  readonly source?: ValueSource;
}

export interface AssignOptions {
  /** Restore from `widgets_values_named` when present (the frontend's NamedValuesRestore setting). */
  readonly preferNamedValues?: boolean;
}

type Warn = (warning: Omit<ConversionWarning, 'nodeId'>) => void;

/** Nesting of DynamicCombo options followed; the server's own specs never come close. */
const MAX_DYNAMIC_DEPTH = 16;

/**
 * Maps a node's `widgets_values` onto the widget list the frontend builds for its class
 * (docs/conversion.md §2.3): the pre-1.16 `forceInput` repair, then positionally (every widget takes a
 * slot, companions and the upload button included), constructor defaults for missing values,
 * extra values ignored; object-form values by name; DynamicCombo sub-widgets after their
 * selector; `widgets_values_named` cross-checked (or preferred, with the option or the class's
 * `fallbackWidgetsValuesNames`).
 */
export function assignWidgetValues(node: GraphNode, nodeClass: NodeClass, plan: readonly PlannedWidget[], options: AssignOptions, warn: Warn): AssignedWidget[] {
  const sockets = widgetSockets(node);
  const stored = node.widgetsValues;
  const assigned: AssignedWidget[] = [];
  const walker: Walker = { node, sockets, out: assigned, warn };
  if (stored !== undefined && !Array.isArray(stored)) {
    const byName = stored as Readonly<Record<string, unknown>>;
    const byKey: Take = (widget) => ({ found: Object.prototype.hasOwnProperty.call(byName, widget.name), value: byName[widget.name], slot: widget.name });
    walk(walker, plan, byKey, 0);
    return assigned;
  }
  const raw = (stored as readonly unknown[] | undefined) ?? [];
  const kept = keptSlots(nodeClass.inputs, plan, raw);
  const values = kept ? kept.map((index) => raw[index]) : raw;
  // The position in the file of compact value `n` (past the end: where the editor would append it).
  const slotOf = (n: number) => (!kept ? n : n < kept.length ? kept[n]! : raw.length + n - kept.length);
  let cursor = 0;
  const next: Take = () => {
    const n = cursor++;
    return { found: n < values.length, value: values[n], slot: slotOf(n) };
  };
  walk(walker, plan, next, 0, next);
  if (stored !== undefined && cursor !== values.length) {
    warn({
      type: 'widget_values_count',
      classType: nodeClass.name,
      message: `${nodeClass.name} has ${values.length} widget values for ${cursor} widget slots${values.length < cursor ? ' (the rest take their defaults)' : ' (the extra ones are ignored)'}`,
    });
  }
  return crossCheckNamed(node, nodeClass, assigned, options, warn);
}

/** A value read from the file for a widget: `found` false means the widget keeps its default; `slot` is where it is (or would be). */
interface Taken {
  readonly found: boolean;
  readonly value: unknown;
  readonly slot: number | string;
}
type Take = (widget: PlannedWidget) => Taken;

/** What one walk over a node's widget plan writes to. */
interface Walker {
  readonly node: GraphNode;
  readonly sockets: ReadonlySet<string>;
  readonly out: AssignedWidget[];
  readonly warn: Warn;
}

function walk(walker: Walker, plan: readonly PlannedWidget[], take: Take, depth: number, takeCompanion?: Take): void {
  const { node, sockets, out, warn } = walker;
  for (const widget of plan) {
    const taken = take(widget);
    const value = taken.found ? taken.value : defaultOf(widget);
    out.push({ name: widget.name, kind: widget.kind, value, widget, source: { node, slot: taken.slot, name: widget.name } });
    for (const companion of widget.companions) {
      const companionValue = takeCompanion?.(widget).value;
      if (companion === 'control_after_generate') checkControlValue(widget, companionValue, warn);
      out.push({ name: companion, kind: companion, value: companionValue });
    }
    if (!isDynamicCombo(widget)) continue;
    if (depth >= MAX_DYNAMIC_DEPTH) {
      warn({
        type: 'dynamic_combo_depth',
        input: widget.name,
        message: `${widget.name}: DynamicCombo options nested ${depth + 1} deep; the converter follows ${MAX_DYNAMIC_DEPTH}, so the sub-widgets of ${JSON.stringify(value)} are not read`,
      });
      continue;
    }
    const sub = dynamicOptionInputs(widget, value, warn);
    if (sub) walk(walker, planInputs(sub, sockets), take, depth + 1, takeCompanion);
  }
}

/** The modes a `control_after_generate` widget offers (combos also `increment-wrap`) [FE widgets.ts]. */
const CONTROL_MODES: ReadonlySet<unknown> = new Set(['fixed', 'increment', 'decrement', 'randomize', 'increment-wrap']);

/**
 * A control slot holding a value that is no mode (a number, another widget's text) means the saved
 * values are shifted. Holes and the booleans of old files are modes too.
 */
function checkControlValue(widget: PlannedWidget, value: unknown, warn: Warn): void {
  if (value === undefined || value === null || typeof value === 'boolean' || CONTROL_MODES.has(value)) return;
  warn({
    type: 'control_value_shifted',
    input: widget.name,
    message: `${widget.name}: its control_after_generate slot holds ${JSON.stringify(value)}, not fixed / increment / decrement / randomize: the saved widget values are probably shifted (a node pack's widget, or a file from another version)`,
  });
}

/** The sub-inputs of the option a DynamicCombo selects, named `selector.sub`. */
function dynamicOptionInputs(widget: PlannedWidget, selected: unknown, warn: Warn): DeclaredInput[] | undefined {
  const choices = (widget.input?.options.options ?? []) as readonly unknown[];
  const option = choices.find((choice) => isPlainObject(choice) && choice.key === selected) as { inputs?: unknown } | undefined;
  if (!option) {
    warn({ type: 'unknown_combo_option', input: widget.name, message: `${widget.name}: option ${JSON.stringify(selected)} is not offered by the server` });
    return undefined;
  }
  const parsed = NodeDefinition.shape.input.safeParse(option.inputs ?? {});
  if (!parsed.success) return undefined;
  return declareInputs(parsed.data, undefined, option.inputs).map((input) => ({ ...input, name: `${widget.name}.${input.name}` }));
}

/** The value a widget's constructor gives it [FE useIntWidget.ts, useComboWidget.ts, ...]. */
export function defaultOf(widget: PlannedWidget): unknown {
  const input = widget.input;
  if (!input) return widget.kind === 'upload' ? 'image' : undefined;
  const declared = input.options.default;
  switch (widget.widgetType) {
    case 'INT':
    case 'FLOAT':
      return declared ?? 0;
    case 'BOOLEAN':
      return declared ?? false;
    case 'STRING':
    case 'TEXTAREA':
    case 'MARKDOWN':
      return declared ?? '';
    case 'COMBO':
      return declared ?? input.combo?.[0];
    case 'COMFY_DYNAMICCOMBO_V3': {
      const first = (input.options.options ?? [])[0] as { key?: unknown } | undefined;
      return declared ?? first?.key;
    }
    default:
      return declared;
  }
}

/**
 * Pre-1.16 files kept a dummy value for every `forceInput` input: when the count of widget and
 * forceInput slots (+1 per truthy `control_after_generate`) equals the number of values, the
 * forceInput positions are dropped [FE litegraphUtil.ts migrateWidgetsValues].
 */
export function repairForceInputValues(inputs: readonly DeclaredInput[], plan: readonly PlannedWidget[], values: readonly unknown[]): readonly unknown[] {
  const kept = keptSlots(inputs, plan, values);
  return kept ? kept.map((index) => values[index]) : values;
}

/** The positions {@link repairForceInputValues} keeps, or undefined when it keeps them all. */
function keptSlots(inputs: readonly DeclaredInput[], plan: readonly PlannedWidget[], values: readonly unknown[]): number[] | undefined {
  if (!inputs.some((input) => input.options.forceInput === true)) return undefined;
  const widgetNames = new Set(plan.map((widget) => widget.name));
  const forced: boolean[] = [];
  for (const input of inputs) {
    if (input.options.forceInput === true) forced.push(true);
    else if (widgetNames.has(input.name)) {
      forced.push(false);
      if (input.options.control_after_generate) forced.push(false);
    }
  }
  if (widgetNames.has('upload') && !inputs.some((input) => input.name === 'upload')) forced.push(false);
  if (forced.length !== values.length) return undefined;
  return forced.flatMap((isForced, index) => (isForced ? [] : [index]));
}

/** Names of the node's serialised widget sockets (`inputs[].widget.name`); most nodes have none (one shared empty set). */
export function widgetSockets(node: GraphNode): ReadonlySet<string> {
  let sockets: Set<string> | undefined;
  for (const input of node.inputs) if (input.widget !== undefined) (sockets ??= new Set()).add(input.widget);
  return sockets ?? NO_SOCKETS;
}

const NO_SOCKETS: ReadonlySet<string> = new Set();

/** `widgets_values_named` (frontend >= ~1.49) against the positional result; names deduplicated as `x`, `x#1`. */
function crossCheckNamed(node: GraphNode, nodeClass: NodeClass, assigned: AssignedWidget[], options: AssignOptions, warn: Warn): AssignedWidget[] {
  const named = node.widgetsValuesNamed;
  if (!named) return assigned;
  const preferNames = options.preferNamedValues === true || nodeClass.definition.fallbackWidgetsValuesNames !== undefined;
  const seen = new Map<string, number>();
  return assigned.map((widget) => {
    const count = seen.get(widget.name) ?? 0;
    seen.set(widget.name, count + 1);
    const key = count === 0 ? widget.name : `${widget.name}#${count}`;
    if (widget.kind !== 'value' || !Object.prototype.hasOwnProperty.call(named, key)) return widget;
    const byName = named[key];
    if (isDeepStrictEqual(byName, widget.value)) return widget;
    if (preferNames) return { ...widget, value: byName };
    warn({
      type: 'named_value_mismatch',
      classType: nodeClass.name,
      input: widget.name,
      message: `${nodeClass.name}.${widget.name}: the positional value ${JSON.stringify(widget.value)} differs from the named value ${JSON.stringify(byName)} (positional used, as the frontend does)`,
    });
    return widget;
  });
}
