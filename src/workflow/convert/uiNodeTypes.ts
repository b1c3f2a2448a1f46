import { isPlainObject } from '../../util/isPlainObject';
import { DEFAULT_VIRTUAL_NODE_TYPES, groupNodeName } from './classifyNode';
import { frontendNodeType } from './frontendNodeType';

const VIRTUAL: ReadonlySet<string> = new Set(DEFAULT_VIRTUAL_NODE_TYPES);

/**
 * The node classes a UI workflow needs from a server, each once, in first-seen order: the types of
 * the nodes of the root, of every subgraph definition and legacy group node, leaving out muted
 * nodes, the frontend-only types and the instances of definitions, with the frontend's fixed
 * renames applied (`T2IAdapterLoader` is needed as `ControlNetLoader`). Tolerant: whatever is not a
 * node is skipped (the conversion reports a malformed file).
 * @example uiNodeTypes(uiWorkflow) // ['CheckpointLoaderSimple', 'CLIPTextEncode', 'KSampler', ...]
 */
export function uiNodeTypes(workflow: unknown): string[] {
  if (!isPlainObject(workflow)) return [];
  const graphs: unknown[] = [workflow];
  const definitionIds = new Set<string>();
  for (let i = 0; i < graphs.length && i < 10_000; i++) {
    const graph = graphs[i];
    const nested = isPlainObject(graph) && isPlainObject(graph.definitions) ? graph.definitions.subgraphs : undefined;
    for (const definition of Array.isArray(nested) ? nested : []) {
      if (isPlainObject(definition) && typeof definition.id === 'string') definitionIds.add(definition.id);
      graphs.push(definition);
    }
  }
  const groups = isPlainObject(workflow.extra) && isPlainObject(workflow.extra.groupNodes) ? Object.values(workflow.extra.groupNodes) : [];
  const seen = new Set<string>();
  for (const graph of [...graphs, ...groups]) {
    const nodes = isPlainObject(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
    for (const node of nodes) {
      if (!isPlainObject(node) || typeof node.type !== 'string' || node.mode === 2) continue;
      if (VIRTUAL.has(node.type) || definitionIds.has(node.type) || groupNodeName(node.type) !== undefined) continue;
      seen.add(frontendNodeType(node.type));
    }
  }
  return [...seen];
}
