import fc from 'fast-check';
import type { DeclaredInput, NodeClass, ObjectInfoIndex } from '../../objectInfoIndex';
import { linkTypeMatches } from '../../validate/linkTypeMatches';
import { nodeCheckOf } from '../../validate/nodeChecks';
import type { Link } from '../link';
import type { NodeHandle } from '../NodeHandle';
import { WorkflowBuilder } from '../WorkflowBuilder';

const VALUE_TYPES: ReadonlySet<string> = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO', '*']);
const V3_DYNAMIC = /^COMFY_.*_V3$/;
const INT_RANGE = 2 ** 31;

interface Producer {
  readonly nodeClass: NodeClass;
  readonly slot: number;
}

/**
 * The classes of an `/object_info` a random valid workflow can use, with how deep a chain of
 * nodes each needs before all its required links can be fed. Left out: classes with their own
 * input check (LoadImage: files), V3 dynamic inputs, and required combos with no values.
 */
export class WorkflowCatalog {
  readonly depth = new Map<string, number>();
  readonly outputClasses: NodeClass[];
  private readonly producers = new Map<string, Producer[]>();

  constructor(readonly index: ObjectInfoIndex) {
    const candidates = index
      .classTypes()
      .map((name) => index.get(name) as NodeClass)
      .filter((c) => !nodeCheckOf(c.name) && c.inputs.every((input) => !V3_DYNAMIC.test(input.type) && (input.category === 'optional' || input.type !== 'COMBO' || (input.combo ?? []).length > 0)));
    for (let changed = true; changed; ) {
      changed = false;
      for (const nodeClass of candidates) {
        if (this.depth.has(nodeClass.name)) continue;
        const needs = nodeClass.inputs.filter((input) => input.category === 'required' && isLink(input)).map((input) => this.shallowest(nodeClass, input));
        if (needs.every((d) => d !== undefined)) {
          this.depth.set(nodeClass.name, needs.length ? 1 + Math.max(...(needs as number[])) : 0);
          changed = true;
        }
      }
    }
    this.outputClasses = candidates.filter((c) => c.outputNode && this.depth.has(c.name));
  }

  /** Usable classes whose output fits `input`, with their slot. */
  producersOf(nodeClass: NodeClass, input: DeclaredInput): Producer[] {
    const declared = nodeClass.definition.input[input.category]?.[input.name]?.[0];
    const key = JSON.stringify(declared);
    let found = this.producers.get(key);
    if (!found) {
      found = [];
      for (const name of this.depth.keys()) {
        const producer = this.index.get(name) as NodeClass;
        for (const output of producer.outputs) if (linkTypeMatches(output.type, declared)) found.push({ nodeClass: producer, slot: output.index });
      }
      this.producers.set(key, found);
    }
    return found.filter((p) => this.depth.has(p.nodeClass.name));
  }

  private shallowest(nodeClass: NodeClass, input: DeclaredInput): number | undefined {
    const declared = nodeClass.definition.input[input.category]?.[input.name]?.[0];
    let best: number | undefined;
    for (const [name, d] of this.depth) {
      if (best !== undefined && d >= best) continue;
      if ((this.index.get(name) as NodeClass).outputs.some((output) => linkTypeMatches(output.type, declared))) best = d;
    }
    return best;
  }
}

const isLink = (input: DeclaredInput): boolean => !VALUE_TYPES.has(input.type);

/**
 * A random workflow that should validate: 1-3 output nodes, each input a valid value (within
 * min/max, a listed combo value), a link from a new or an already added node of a fitting type,
 * or left out (optional, or with a default the builder fills in). Choices come from `g`.
 */
export function randomWorkflow(g: fc.GeneratorValue, catalog: WorkflowCatalog, maxDepth = 3): WorkflowBuilder {
  const builder = new WorkflowBuilder(catalog.index);
  const added: NodeHandle[] = [];
  const addNode = (nodeClass: NodeClass, depth: number): NodeHandle => {
    const inputs: Record<string, unknown> = {};
    for (const input of nodeClass.inputs) {
      if (isLink(input)) {
        const fitting = catalog.producersOf(nodeClass, input).filter((p) => (catalog.depth.get(p.nodeClass.name) as number) < depth);
        if (!fitting.length || (input.category === 'optional' && g(fc.boolean))) continue;
        inputs[input.name] = linkFrom(pick(g, fitting), depth);
        continue;
      }
      const omittable = input.category === 'optional' || input.options.default !== undefined;
      if (omittable && g(fc.boolean)) continue;
      const value = valueOf(g, input);
      if (value !== undefined) inputs[input.name] = value;
    }
    const handle = builder.add(nodeClass.name, inputs);
    added.push(handle);
    return handle;
  };
  const linkFrom = (producer: Producer, depth: number): Link => {
    const existing = added.filter((node) => node.classType === producer.nodeClass.name);
    const node = existing.length && g(fc.boolean) ? pick(g, existing) : addNode(producer.nodeClass, depth - 1);
    return node.output(producer.slot);
  };
  const outputs = catalog.outputClasses.filter((c) => (catalog.depth.get(c.name) as number) <= maxDepth);
  const count = g(fc.integer, { min: 1, max: 3 });
  for (let i = 0; i < count; i++) addNode(pick(g, outputs), maxDepth);
  return builder;
}

/** One of `items`, chosen by index (so a shrunk run never reuses an object of an earlier run, and counterexamples print small). */
function pick<T>(g: fc.GeneratorValue, items: readonly T[]): T {
  return items[g(fc.integer, { min: 0, max: items.length - 1 })] as T;
}

function valueOf(g: fc.GeneratorValue, input: DeclaredInput): unknown {
  const { min, max } = input.options;
  switch (input.type) {
    case 'INT': {
      const lo = Math.ceil(Math.max(min ?? -INT_RANGE, -INT_RANGE));
      return g(fc.integer, { min: lo, max: Math.max(lo, Math.floor(Math.min(max ?? INT_RANGE, INT_RANGE))) });
    }
    case 'FLOAT': {
      const lo = Math.max(min ?? -1e6, -1e6);
      return g(fc.double, { min: lo, max: Math.max(lo, Math.min(max ?? 1e6, 1e6)), noNaN: true, noDefaultInfinity: true });
    }
    case 'BOOLEAN':
      return g(fc.boolean);
    case 'COMBO':
      return (input.combo ?? []).length ? pick(g, input.combo as unknown[]) : undefined;
    default: // STRING, '*'
      return g(fc.string);
  }
}
