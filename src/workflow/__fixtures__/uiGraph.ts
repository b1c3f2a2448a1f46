/**
 * A small builder of UI workflows for the converter's rule tests: nodes with their slots, links in
 * the schema-0.4 array form (or objects, for schema 1 and subgraph definitions), subgraph
 * definitions with their boundary links. Test data only.
 */
type Slot = { name: string; type: string; link: number | null; widget?: { name: string } };
type Out = { name: string; type: string; links: number[] | null };
export type TestNode = {
  id: number | string;
  type: string;
  mode: number;
  title?: string;
  inputs: Slot[];
  outputs: Out[];
  properties: Record<string, unknown>;
  widgets_values?: unknown;
  widgets_values_named?: Record<string, unknown>;
};
export interface NodeSpec {
  id?: number | string;
  mode?: number;
  title?: string;
  /** `[name, type]` sockets, `[name, type, true]` widget sockets. */
  inputs?: [string, string, boolean?][];
  outputs?: string[];
  properties?: Record<string, unknown>;
  named?: Record<string, unknown>;
}
type Link = [number, number | string, number, number | string, number, string];
type Boundary = { name: string; type: string; linkIds: number[] };

export class UiGraph {
  readonly nodes: TestNode[] = [];
  readonly links: Link[] = [];
  readonly inputs: Boundary[] = [];
  readonly outputs: Boundary[] = [];
  private nextId = 1;
  private nextLink = 1;

  node(type: string, widgetsValues?: unknown, spec: NodeSpec = {}): TestNode {
    const id = spec.id ?? this.nextId++;
    const node: TestNode = {
      id,
      type,
      mode: spec.mode ?? 0,
      ...(spec.title ? { title: spec.title } : {}),
      inputs: (spec.inputs ?? []).map(([name, slotType, widget]) => ({ name, type: slotType, link: null, ...(widget ? { widget: { name } } : {}) })),
      outputs: (spec.outputs ?? []).map((name) => ({ name, type: name, links: [] })),
      properties: spec.properties ?? {},
      ...(widgetsValues === undefined ? {} : { widgets_values: widgetsValues }),
      ...(spec.named ? { widgets_values_named: spec.named } : {}),
    };
    this.nodes.push(node);
    return node;
  }

  /** Links `from`'s output `slot` to `to`'s input (by name or index). */
  link(from: TestNode, slot: number, to: TestNode, input: string | number, type?: string): number {
    const index = typeof input === 'number' ? input : to.inputs.findIndex((candidate) => candidate.name === input);
    if (index < 0 || !to.inputs[index]) throw new Error(`no input ${input} on ${to.type}`);
    const id = this.nextLink++;
    to.inputs[index]!.link = id;
    from.outputs[slot]?.links?.push(id);
    this.links.push([id, from.id, slot, to.id, index, type ?? from.outputs[slot]?.type ?? '*']);
    return id;
  }

  /** A subgraph definition input `name`, linked to `to`'s input. */
  fromInput(name: string, type: string, to: TestNode, input: string): void {
    let k = this.inputs.findIndex((candidate) => candidate.name === name);
    if (k < 0) k = this.inputs.push({ name, type, linkIds: [] }) - 1;
    const index = to.inputs.findIndex((candidate) => candidate.name === input);
    const id = this.nextLink++;
    to.inputs[index]!.link = id;
    this.links.push([id, -10, k, to.id, index, type]);
    this.inputs[k]!.linkIds.push(id);
  }

  /** A subgraph definition output `name`, fed by `from`'s output `slot`. */
  toOutput(name: string, from: TestNode, slot: number): void {
    let j = this.outputs.findIndex((candidate) => candidate.name === name);
    if (j < 0) j = this.outputs.push({ name, type: from.outputs[slot]?.type ?? '*', linkIds: [] }) - 1;
    const id = this.nextLink++;
    this.links.push([id, from.id, slot, -20, j, from.outputs[slot]?.type ?? '*']);
    this.outputs[j]!.linkIds.push(id);
  }

  /** Links `from`'s output `slot` to a passthrough output fed straight by definition input `k`. */
  passthrough(k: number, name: string): void {
    const id = this.nextLink++;
    this.links.push([id, -10, k, -20, this.outputs.length, this.inputs[k]!.type]);
    this.outputs.push({ name, type: this.inputs[k]!.type, linkIds: [id] });
  }

  /** The schema-0.4 file. */
  workflow(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { version: 0.4, last_node_id: this.nextId, last_link_id: this.nextLink, nodes: this.nodes, links: this.links, groups: [], config: {}, extra: {}, ...extra };
  }

  /** The same graph as schema 1 (links as objects). */
  workflowV1(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { version: 1, state: {}, nodes: this.nodes, links: this.links.map(linkObject), ...extra };
  }

  /** This graph as a subgraph definition (schema-1 links). */
  definition(id: string, name = id, nested: Record<string, unknown>[] = []): Record<string, unknown> {
    return {
      id,
      name,
      nodes: this.nodes,
      links: this.links.map(linkObject),
      inputs: this.inputs,
      outputs: this.outputs,
      inputNode: { id: -10 },
      outputNode: { id: -20 },
      widgets: [],
      ...(nested.length ? { definitions: { subgraphs: nested } } : {}),
    };
  }
}

function linkObject([id, origin_id, origin_slot, target_id, target_slot, type]: Link) {
  return { id, origin_id, origin_slot, target_id, target_slot, type };
}
