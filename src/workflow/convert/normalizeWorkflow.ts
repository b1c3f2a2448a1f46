import { type BoundarySlot, type Definition, type Graph, type GraphInput, type GraphLink, type GraphNode, slotType } from './graph';
import { invalidWorkflow, invalidWorkflowShape } from './invalidWorkflow';
import { frontendNodeType } from './frontendNodeType';
import { readWorkflowFast } from './readWorkflowFast';
import { UiGroupNode, type UiLink, type UiNode, UiSubgraph, type UiSubgraphSlot, UiWorkflow } from './uiWorkflow';
import type { ConversionWarning } from './warnings';

/** The parsed, normalised workflow: the root graph, subgraph definitions by id, legacy group nodes by name. */
export interface NormalizedWorkflow {
  readonly root: Graph;
  readonly subgraphs: ReadonlyMap<string, Definition>;
  readonly groupNodes: ReadonlyMap<string, UiGroupNode>;
  /** What normalising changed (duplicate node ids renumbered). */
  readonly warnings: readonly ConversionWarning[];
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
  const warnings: ConversionWarning[] = [];
  const subgraphs = new Map<string, Definition>();
  collectSubgraphs(workflow.definitions?.subgraphs ?? [], 'definitions.subgraphs', subgraphs, 0, warnings);
  const groupNodes = new Map<string, UiGroupNode>();
  for (const [name, raw] of Object.entries(workflow.extra?.groupNodes ?? {})) {
    const group = UiGroupNode.safeParse(raw);
    if (!group.success) throw invalidWorkflowShape(`extra.groupNodes.${name}`, group.error.issues);
    groupNodes.set(name, group.data);
  }
  const lastNodeId = workflow.version === 1 ? workflow.state?.lastNodeId : workflow.last_node_id;
  return { root: buildGraph(workflow.nodes, workflow.links ?? [], '', { lastNodeId, warnings }), subgraphs, groupNodes, warnings };
}

function collectSubgraphs(list: readonly unknown[], path: string, into: Map<string, Definition>, depth: number, warnings: ConversionWarning[]): void {
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
        graph: buildGraph(subgraph.nodes, subgraph.links ?? [], at, { lastNodeId: subgraph.state?.lastNodeId, warnings, scope: `${subgraph.id}:` }),
        inputs: (subgraph.inputs ?? []).map(boundarySlot),
        outputs: (subgraph.outputs ?? []).map(boundarySlot),
      });
    }
    collectSubgraphs(subgraph.definitions?.subgraphs ?? [], `${at}.definitions.subgraphs`, into, depth + 1, warnings);
  });
}

function boundarySlot(slot: UiSubgraphSlot): BoundarySlot {
  return { name: slot.name, type: slotType(slot.type), linkIds: (slot.linkIds ?? []).map(String) };
}

/** How {@link buildGraph} numbers a node whose id is taken, and where it says so. */
export interface GraphIds {
  /** The file's id counter (`last_node_id`, `state.lastNodeId`). */
  readonly lastNodeId?: unknown;
  readonly warnings: ConversionWarning[];
  /** Prefix of the node ids in warnings (a definition's `id:`). */
  readonly scope?: string;
}

/**
 * Builds one scope's graph: nodes by id, links by id (the last one wins, as in the editor). A node whose id is taken gets the next free number
 * after the file's counter, as the editor's `LGraph.add` does while it loads the file (links
 * naming that id keep reaching the first node); a warning says so.
 */
export function buildGraph(nodes: readonly UiNode[], links: readonly (UiLink | null)[], path: string, ids?: GraphIds): Graph {
  const byId = new Map<string, GraphNode>();
  let counter = typeof ids?.lastNodeId === 'number' && Number.isFinite(ids.lastNodeId) ? ids.lastNodeId : 0;
  nodes.forEach((node, index) => {
    let normalized = normalizeNode(node, `${path ? `${path}.` : ''}nodes.${index}`);
    if (byId.has(normalized.id)) {
      if (!ids) throw invalidWorkflow(normalized.path, `duplicate node id ${normalized.id}`);
      const renumbered = String(++counter);
      ids.warnings.push({
        type: 'duplicate_node_id',
        nodeId: `${ids.scope ?? ''}${renumbered}`,
        classType: normalized.type,
        message: `node id ${normalized.id} is taken: ${normalized.path} (${normalized.type}) is renumbered ${renumbered}, as the editor does; links from ${normalized.id} still come from the first node`,
      });
      normalized = { ...normalized, id: renumbered };
    } else if (/^\d+$/.test(normalized.id) && Number(normalized.id) > counter) counter = Number(normalized.id);
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

/** One node as the passes read it: ids and slot types as strings, the frontend's fixed type renames applied. */
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
    type: frontendNodeType(node.type),
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
