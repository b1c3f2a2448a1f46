import { isPlainObject } from '../../util/isPlainObject';
import { type BoundarySlot, type Definition, type GraphInput, type GraphLink, type GraphNode, SUBGRAPH_INPUT_ID } from './graph';
import { normalizeNode } from './normalizeWorkflow';
import type { UiGroupNode } from './uiWorkflow';

/** A legacy group node as a definition: its children, boundary links through the `-10` box, and where instance values go. */
export interface GroupDefinition {
  readonly definition: Definition;
  /** Instance `widgets_values[i]` belongs to child `nodeId`'s widget `name` (`null`: a slot that is not a value). */
  readonly valueTargets: readonly ({ readonly nodeId: string; readonly name: string } | null)[];
}

/** The widget names (in slot order, companions as null) a child contributes to the group's widget list. */
export type ChildWidgetSlots = (child: GraphNode) => readonly (string | null)[];

/**
 * Turns `extra.groupNodes[name]` into a definition (docs/conversion.md §2.5, "Legacy group nodes"):
 * children keep their index as id (execution ids `<instance>:<index>`), internal links become
 * links of the definition, every child input without an internal link becomes a group input (in
 * child order), and every child output without internal links, or listed in `external`, a group
 * output. The instance's widget values are the children's widgets concatenated, minus widgets
 * converted to sockets on the child.
 */
export function buildGroupDefinition(name: string, group: UiGroupNode, path: string, widgetSlots: ChildWidgetSlots): GroupDefinition {
  const children = group.nodes.map((child, position) => normalizeNode({ ...child, id: child.index ?? position }, `${path}.nodes.${position}`));
  const links = new Map<string, GraphLink>();
  const linkInto = new Map<string, string>(); // `${child}:${slot}` -> link id
  const linkedFrom = new Set<string>(); // `${child}:${slot}` of outputs used inside
  (group.links ?? []).forEach((link, position) => {
    if (!link) return;
    const [origin, originSlot, target, targetSlot] = link;
    if (origin === null) return;
    const id = `link${position}`;
    links.set(id, { id, originId: String(origin), originSlot, targetId: String(target), targetSlot, type: '*' });
    linkInto.set(`${target}:${targetSlot}`, id);
    linkedFrom.add(`${origin}:${originSlot}`);
  });
  const external = new Set((group.external ?? []).map(([node, slot]) => `${isPlainObject(node) ? node.index : node}:${slot}`));
  const inputs: BoundarySlot[] = [];
  const outputs: BoundarySlot[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const child of children) {
    const childInputs = child.inputs.map((input, slot): GraphInput => {
      const internal = linkInto.get(`${child.id}:${slot}`);
      if (internal) return { ...input, link: internal };
      if (input.widget !== undefined) return { ...input, link: null };
      const id = `input${inputs.length}`;
      links.set(id, { id, originId: SUBGRAPH_INPUT_ID, originSlot: inputs.length, targetId: child.id, targetSlot: slot, type: input.type });
      inputs.push({ name: input.name, type: input.type, linkIds: [id] });
      return { ...input, link: id };
    });
    child.outputs.forEach((output, slot) => {
      const key = `${child.id}:${slot}`;
      if (linkedFrom.has(key) && !external.has(key)) return;
      const id = `output${outputs.length}`;
      links.set(id, { id, originId: child.id, originSlot: slot, targetId: '-20', targetSlot: outputs.length, type: output.type });
      outputs.push({ name: output.name, type: output.type, linkIds: [id] });
    });
    nodes.set(child.id, { ...child, inputs: childInputs });
  }
  const valueTargets = [...nodes.values()].flatMap((child) => widgetSlots(child).map((widget) => (widget === null ? null : { nodeId: child.id, name: widget })));
  return { definition: { kind: 'group', id: `workflow>${name}`, name, graph: { nodes, links, path }, inputs, outputs }, valueTargets };
}
