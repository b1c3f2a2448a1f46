import { isPlainObject } from '../../util/isPlainObject';
import { jsonEqual } from '../../util/jsonEqual';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { runPasses } from '../convert/runPasses';
import type { PromptSources, ValueSource } from '../convert/valueSource';
import { rawNodeAt } from './rawNodeAt';

/** A value of the run that has no place in the UI workflow. */
export interface UnplacedValue {
  /** The node (execution id) and, for an input, its name. */
  readonly nodeId: string;
  readonly input?: string;
  readonly reason: string;
}

/** What {@link reproducibleWorkflow} made. */
export type ReproducibleWorkflow =
  /** The UI workflow with every value of the prompt written in: converting it makes the prompt. */
  | { readonly kind: 'reproduces'; readonly workflow: Record<string, unknown>; readonly written: number }
  /** Values the workflow cannot hold (a node or link the run changed, a value no widget carries). */
  | { readonly kind: 'unplaced'; readonly unplaced: readonly UnplacedValue[] }
  /** The workflow does not convert here (a node type the server lacks, a malformed file): nothing can be checked. */
  | { readonly kind: 'unconvertible'; readonly reason: string };

/** Rounds of write then check; each settles the values that depend on others (`%KSampler.seed%`). */
const MAX_ROUNDS = 4;

const isLink = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';

/** A widget's stored value from a posted one: `{"__value__": [...]}` (and curves' `__type__`) unwrapped. */
function stored(value: unknown): unknown {
  return isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, '__value__') ? value.__value__ : value;
}

/**
 * The UI workflow a run embeds so that its output files reproduce it (docs/conversion.md, "Files
 * that reproduce their runs"): `uiWorkflow` with every value of the posted `prompt` that differs
 * from what the workflow converts to written back where it lives (the widget that feeds the
 * input, a PrimitiveNode, a subgraph instance's promoted or proxied value), then converted again
 * and compared node by node, until converting it makes `prompt` (dynamic prompts included, with a
 * fixed random source: a resolved text is written back too). Pure; `uiWorkflow` is not changed.
 * When the prompt holds something the workflow cannot (a node, class or link the run changed, an
 * input no widget feeds), the answer lists it: the caller then embeds the API prompt instead.
 * @example
 * const made = reproducibleWorkflow(ui, index, postedPrompt);
 * if (made.kind === 'reproduces') options.extraData.extra_pnginfo.workflow = made.workflow;
 */
export function reproducibleWorkflow(uiWorkflow: unknown, objectInfo: unknown, prompt: Readonly<Record<string, unknown>>, now: Date = new Date()): ReproducibleWorkflow {
  const index = ObjectInfoIndex.from(objectInfo);
  const current = structuredClone(uiWorkflow) as Record<string, unknown>;
  let written = 0;
  let last: UnplacedValue[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let made: ReturnType<typeof runPasses>;
    try {
      made = runPasses(current, index, { random: () => 0, now }, true);
    } catch (error) {
      return { kind: 'unconvertible', reason: error instanceof Error ? error.message : String(error) };
    }
    const { writes, unplaced } = differences(made.prompt, made.sources, prompt);
    if (unplaced.length > 0) return { kind: 'unplaced', unplaced };
    if (writes.length === 0) return { kind: 'reproduces', workflow: current, written };
    last = writes.map(({ nodeId, input }) => ({ nodeId, input, reason: 'its value does not settle (it depends on values written in the same run)' }));
    for (const write of writes) if (writeValue(current, write.source, write.value)) written++;
  }
  return { kind: 'unplaced', unplaced: last };
}

interface Write {
  readonly nodeId: string;
  readonly input: string;
  readonly source: ValueSource;
  readonly value: unknown;
}

/** Compares what the workflow makes with what was posted, node by node: values to write where they live, or what cannot be placed. */
function differences(made: Readonly<Record<string, { class_type: string; inputs: Record<string, unknown> }>>, sources: PromptSources, posted: Readonly<Record<string, unknown>>) {
  const writes: Write[] = [];
  const unplaced: UnplacedValue[] = [];
  for (const nodeId of new Set([...Object.keys(made), ...Object.keys(posted)])) {
    const ours = made[nodeId];
    const theirs = posted[nodeId];
    if (!ours || !isPlainObject(theirs)) {
      unplaced.push({ nodeId, reason: ours ? 'the run removed this node' : 'the run added this node' });
      continue;
    }
    if (theirs.class_type !== ours.class_type) {
      unplaced.push({ nodeId, reason: `the run made it a ${String(theirs.class_type)} (the workflow has a ${ours.class_type})` });
      continue;
    }
    const inputs = isPlainObject(theirs.inputs) ? theirs.inputs : {};
    for (const input of new Set([...Object.keys(ours.inputs), ...Object.keys(inputs)])) {
      const mine = ours.inputs[input];
      const value = inputs[input];
      if (jsonEqual(stored(mine), stored(value))) continue;
      const source = sources.get(nodeId)?.get(input);
      if (value === undefined) unplaced.push({ nodeId, input, reason: 'the run removed this input' });
      else if (isLink(value) || isLink(mine)) unplaced.push({ nodeId, input, reason: 'the run changed a link' });
      else if (!source) unplaced.push({ nodeId, input, reason: 'no widget of the workflow holds this value' });
      else writes.push({ nodeId, input, source, value: stored(value) });
    }
  }
  return { writes, unplaced };
}

/** Writes `value` where `source` says, in the raw workflow; false when the node is not there. */
function writeValue(workflow: Record<string, unknown>, source: ValueSource, value: unknown): boolean {
  const node = rawNodeAt(workflow, source.node.path);
  if (!node) return false;
  if (typeof source.slot === 'string') {
    node.widgets_values = { ...(isPlainObject(node.widgets_values) ? node.widgets_values : {}), [source.slot]: value };
  } else {
    const values = Array.isArray(node.widgets_values) ? [...(node.widgets_values as unknown[])] : [];
    while (values.length < source.slot) values.push(null);
    values[source.slot] = value;
    node.widgets_values = values;
  }
  if (source.name !== undefined && isPlainObject(node.widgets_values_named) && Object.prototype.hasOwnProperty.call(node.widgets_values_named, source.name)) {
    node.widgets_values_named = { ...node.widgets_values_named, [source.name]: value };
  }
  return true;
}
