import { type BoundarySlot, type Definition, type Graph, type GraphInput, type GraphLink, type GraphNode, slotType } from './graph';
import { invalidWorkflow, invalidWorkflowShape } from './invalidWorkflow';
import { readWorkflowFast } from './readWorkflowFast';
import { UiGroupNode, type UiLink, type UiNode, UiSubgraph, type UiSubgraphSlot, UiWorkflow } from './uiWorkflow';

/** The parsed, normalised workflow: the root graph, subgraph definitions by id, legacy group nodes by name. */
export interface NormalizedWorkflow {
  readonly root: Graph;
  readonly subgraphs: ReadonlyMap<string, Definition>;
  readonly groupNodes: ReadonlyMap<string, UiGroupNode>;
}

/** Deepest nesting of `definitions` followed; deeper ones are a malformed (or hostile) file. */
const MAX_DEFINITION_DEPTH = 64;

/**
 * Pass 1 (docs/conversion.md §2.1): validates the file and builds one graph per scope, links
 * indexed by id in either serialised form, definitions collected recursively. A usual file is read
 * in one walk (`readWorkflowFast`); anything else goes through the zod schemas
 * ({@link normalizeWithSchemas}), which define what a valid file is.
 * Throws `ComfyValidationError` (`invalid_workflow`) naming the path of the first problem.
 */
export function normalizeWorkflow(value: unknown): NormalizedWorkflow {
  return readWorkflowFast(value) ?? normalizeWithSchemas(value);
}

/** {@link normalizeWorkflow} through the zod schemas of `uiWorkflow.ts`: the reference path, and the one that words errors. */
export function normalizeWithSchemas(value: unknown): NormalizedWorkflow {
  const parsed = UiWorkflow.safeParse(value);
  if (!parsed.success) throw invalidWorkflowShape('', parsed.error.issues);
  const workflow = parsed.data;
  const subgraphs = new Map<string, Definition>();
  collectSubgraphs(workflow.definitions?.subgraphs ?? [], 'definitions.subgraphs', subgraphs, 0);
  const groupNodes = new Map<string, UiGroupNode>();
  for (const [name, raw] of Object.entries(workflow.extra?.groupNodes ?? {})) {
    const group = UiGroupNode.safeParse(raw);
    if (!group.success) throw invalidWorkflowShape(`extra.groupNodes.${name}`, group.error.issues);
    groupNodes.set(name, group.data);
  }
  return { root: buildGraph(workflow.nodes, workflow.links ?? [], ''), subgraphs, groupNodes };
}

function collectSubgraphs(list: readonly unknown[], path: string, into: Map<string, Definition>, depth: number): void {
  if (depth > MAX_DEFINITION_DEPTH) throw invalidWorkflow(path, `subgraph definitions nested deeper than ${MAX_DEFINITION_DEPTH}`);
  list.forEach((raw, index) => {
    const at = `${path}.${index}`;
    const parsed = UiSubgraph.safeParse(raw);
    if (!parsed.success) throw invalidWorkflowShape(at, parsed.error.issues);
    const subgraph = parsed.data;
    if (!into.has(subgraph.id)) {
      into.set(subgraph.id, {
        kind: 'subgraph',
        id: subgraph.id,
        name: subgraph.name ?? subgraph.id,
        graph: buildGraph(subgraph.nodes, subgraph.links ?? [], at),
        inputs: (subgraph.inputs ?? []).map(boundarySlot),
        outputs: (subgraph.outputs ?? []).map(boundarySlot),
      });
    }
    collectSubgraphs(subgraph.definitions?.subgraphs ?? [], `${at}.definitions.subgraphs`, into, depth + 1);
  });
}

function boundarySlot(slot: UiSubgraphSlot): BoundarySlot {
  return { name: slot.name, type: slotType(slot.type), linkIds: (slot.linkIds ?? []).map(String) };
}

/** Builds one scope's graph: nodes by id (a duplicate id is an error), links by id (the last one wins, as in the editor). */
export function buildGraph(nodes: readonly UiNode[], links: readonly (UiLink | null)[], path: string): Graph {
  const byId = new Map<string, GraphNode>();
  nodes.forEach((node, index) => {
    const normalized = normalizeNode(node, `${path ? `${path}.` : ''}nodes.${index}`);
    if (byId.has(normalized.id)) throw invalidWorkflow(normalized.path, `duplicate node id ${normalized.id}`);
    byId.set(normalized.id, normalized);
  });
  const linkTable = new Map<string, GraphLink>();
  for (const link of links) {
    if (link === null) continue;
    const normalized = normalizeLink(link);
    linkTable.set(normalized.id, normalized);
  }
  return { nodes: byId, links: linkTable, path };
}

export function normalizeNode(node: Omit<UiNode, 'id'> & { id: string | number }, path: string): GraphNode {
  const inputs = (node.inputs ?? []).map(
    (input): GraphInput => ({
      name: input.name,
      type: slotType(input.type),
      link: input.link === null || input.link === undefined ? null : String(input.link),
      ...(input.widget ? { widget: input.widget.name } : {}),
    }),
  );
  return {
    id: String(node.id),
    type: node.type,
    mode: node.mode ?? 0,
    ...(typeof node.title === 'string' ? { title: node.title } : {}),
    inputs,
    outputs: (node.outputs ?? []).map((output) => ({ name: output.name ?? '', type: slotType(output.type) })),
    properties: node.properties ?? {},
    ...(node.widgets_values ? { widgetsValues: node.widgets_values } : {}),
    ...(node.widgets_values_named ? { widgetsValuesNamed: node.widgets_values_named } : {}),
    path,
  };
}

function normalizeLink(link: UiLink): GraphLink {
  if (Array.isArray(link)) {
    const [id, originId, originSlot, targetId, targetSlot, type] = link;
    return { id: String(id), originId: String(originId), originSlot, targetId: String(targetId), targetSlot, type: slotType(type) };
  }
  return {
    id: String(link.id),
    originId: String(link.origin_id),
    originSlot: link.origin_slot,
    targetId: String(link.target_id),
    targetSlot: link.target_slot,
    type: slotType(link.type),
  };
}
