import { type BoundarySlot, type Definition, type Graph, type GraphInput, type GraphLink, type GraphNode, type GraphOutput, slotType } from './graph';
import { frontendNodeType } from './frontendNodeType';
import type { NormalizedWorkflow } from './normalizeWorkflow';
import { UiGroupNode } from './uiWorkflow';

/** Nothing here decides a failure: the schema path does (and words the error). */
const GIVE_UP = Symbol('give up');
type Read<T> = T | typeof GIVE_UP;

/** Deepest nesting of `definitions` followed (as the schema path). */
const MAX_DEFINITION_DEPTH = 64;

/**
 * Pass 1's fast path (docs/conversion.md §2.1): reads a UI workflow straight into the normalised
 * graphs in one walk, checking each field as the zod schemas of `uiWorkflow.ts` would, without
 * building the parsed copy the schemas make first. `undefined` when anything is unusual (a value
 * the schemas would reject or transform in a way this walk does not, a duplicate node id (renumbered, with a warning, by the schema path), nesting
 * too deep): `normalizeWorkflow` then takes the schema path, which stays the one definition of a
 * valid file and words every error. Property-tested against that path: whatever this walk returns,
 * the schema path returns too.
 * @example const workflow = readWorkflowFast(json) ?? normalizeWithSchemas(json);
 */
export function readWorkflowFast(value: unknown): NormalizedWorkflow | undefined {
  if (!isObject(value)) return undefined;
  const { version, nodes, links, definitions, extra } = value as Record<string, unknown>;
  if (!isNullish(version) && !isFiniteNumber(version) && typeof version !== 'string') return undefined;
  const root = readGraph(nodes, links, '');
  if (root === GIVE_UP) return undefined;
  const subgraphs = new Map<string, Definition>();
  const definitionList = readDefinitionList(definitions);
  if (definitionList === GIVE_UP || readSubgraphs(definitionList, 'definitions.subgraphs', subgraphs, 0) === GIVE_UP) return undefined;
  const groupNodes = readGroupNodes(extra);
  if (groupNodes === GIVE_UP) return undefined;
  return { root, subgraphs, groupNodes, warnings: [] };
}

function readDefinitionList(definitions: unknown): Read<readonly unknown[]> {
  if (isNullish(definitions)) return [];
  if (!isObject(definitions)) return GIVE_UP;
  const list = (definitions as Record<string, unknown>).subgraphs;
  if (isNullish(list)) return [];
  return Array.isArray(list) ? list : GIVE_UP;
}

function readSubgraphs(list: readonly unknown[], path: string, into: Map<string, Definition>, depth: number): Read<void> {
  if (depth > MAX_DEFINITION_DEPTH) return GIVE_UP;
  for (let index = 0; index < list.length; index++) {
    const raw = list[index];
    const at = `${path}.${index}`;
    if (!isObject(raw)) return GIVE_UP;
    const { id, name, nodes, links, inputs, outputs, definitions } = raw as Record<string, unknown>;
    if (typeof id !== 'string' || (!isNullish(name) && typeof name !== 'string')) return GIVE_UP;
    const boundaryIn = readBoundary(inputs);
    const boundaryOut = readBoundary(outputs);
    const nested = readDefinitionList(definitions);
    if (boundaryIn === GIVE_UP || boundaryOut === GIVE_UP || nested === GIVE_UP) return GIVE_UP;
    const graph = readGraph(nodes, links, at);
    if (graph === GIVE_UP) return GIVE_UP;
    if (!into.has(id)) into.set(id, { kind: 'subgraph', id, name: (name as string | null | undefined) ?? id, graph, inputs: boundaryIn, outputs: boundaryOut });
    if (readSubgraphs(nested, `${at}.definitions.subgraphs`, into, depth + 1) === GIVE_UP) return GIVE_UP;
  }
  return undefined;
}

function readBoundary(slots: unknown): Read<BoundarySlot[]> {
  if (isNullish(slots)) return [];
  if (!Array.isArray(slots)) return GIVE_UP;
  const out: BoundarySlot[] = [];
  for (const slot of slots) {
    if (!isObject(slot)) return GIVE_UP;
    const { name, type, linkIds } = slot as Record<string, unknown>;
    if (typeof name !== 'string' || !isSlotType(type)) return GIVE_UP;
    let ids: string[] = [];
    if (!isNullish(linkIds)) {
      if (!Array.isArray(linkIds) || !linkIds.every(isId)) return GIVE_UP;
      ids = linkIds.map(String);
    }
    out.push({ name, type: slotType(type), linkIds: ids });
  }
  return out;
}

function readGroupNodes(extra: unknown): Read<Map<string, UiGroupNode>> {
  const groupNodes = new Map<string, UiGroupNode>();
  if (isNullish(extra)) return groupNodes;
  if (!isObject(extra)) return GIVE_UP;
  const record = (extra as Record<string, unknown>).groupNodes;
  if (isNullish(record)) return groupNodes;
  if (!isJsonRecord(record)) return GIVE_UP;
  for (const name of Object.keys(record)) {
    if (name === '__proto__') return GIVE_UP;
    const group = UiGroupNode.safeParse((record as Record<string, unknown>)[name]); // rare and small: the schema reads them
    if (!group.success) return GIVE_UP;
    groupNodes.set(name, group.data);
  }
  return groupNodes;
}

/** One scope's graph (as `buildGraph`): nodes by id in file order, links by id (the last one wins). */
function readGraph(nodes: unknown, links: unknown, path: string): Read<Graph> {
  if (!Array.isArray(nodes)) return GIVE_UP;
  const byId = new Map<string, GraphNode>();
  const prefix = path ? `${path}.nodes.` : 'nodes.';
  for (let index = 0; index < nodes.length; index++) {
    const node = readNode(nodes[index], prefix + index);
    if (node === GIVE_UP || byId.has(node.id)) return GIVE_UP;
    byId.set(node.id, node);
  }
  const linkTable = new Map<string, GraphLink>();
  if (!isNullish(links)) {
    if (!Array.isArray(links)) return GIVE_UP;
    for (const raw of links) {
      if (raw === null) continue;
      const link = readLink(raw);
      if (link === GIVE_UP) return GIVE_UP;
      linkTable.set(link.id, link);
    }
  }
  return { nodes: byId, links: linkTable, path };
}

/** One node, as `UiNode` then `normalizeNode` make it. */
function readNode(raw: unknown, path: string): Read<GraphNode> {
  if (!isObject(raw)) return GIVE_UP;
  const { id, type, mode, title, inputs, outputs, properties, widgets_values: values, widgets_values_named: named } = raw as Record<string, unknown>;
  if (!isId(id) || typeof type !== 'string') return GIVE_UP;
  if (!isNullish(mode) && !isFiniteNumber(mode)) return GIVE_UP;
  if (!isNullish(title) && typeof title !== 'string') return GIVE_UP;
  if (!isNullish(properties) && !isObject(properties)) return GIVE_UP;
  if (!isNullish(values) && !isObject(values) && !Array.isArray(values)) return GIVE_UP;
  if (!isNullish(named) && !isObject(named)) return GIVE_UP;
  const graphInputs = readInputs(inputs);
  const graphOutputs = readOutputs(outputs);
  if (graphInputs === GIVE_UP || graphOutputs === GIVE_UP) return GIVE_UP;
  const node: { -readonly [K in keyof GraphNode]: GraphNode[K] } = {
    id: String(id),
    type: frontendNodeType(type),
    mode: (mode as number | null | undefined) ?? 0,
    inputs: graphInputs,
    outputs: graphOutputs,
    properties: (properties as Record<string, unknown> | null | undefined) ?? {},
    path,
  };
  if (typeof title === 'string') node.title = title;
  if (values) node.widgetsValues = values as GraphNode['widgetsValues'];
  if (named) node.widgetsValuesNamed = named as Record<string, unknown>;
  return node;
}

function readInputs(inputs: unknown): Read<GraphInput[]> {
  if (isNullish(inputs)) return [];
  if (!Array.isArray(inputs)) return GIVE_UP;
  const out: GraphInput[] = [];
  for (const input of inputs) {
    if (!isObject(input)) return GIVE_UP;
    const { name, type, link, widget, label } = input as Record<string, unknown>;
    if (typeof name !== 'string' || !isSlotType(type)) return GIVE_UP;
    if (link !== undefined && link !== null && !isId(link)) return GIVE_UP;
    if (!isNullish(label) && typeof label !== 'string') return GIVE_UP;
    let widgetName: string | undefined;
    if (!isNullish(widget)) {
      if (!isObject(widget)) return GIVE_UP;
      widgetName = (widget as Record<string, unknown>).name as string;
      if (typeof widgetName !== 'string') return GIVE_UP;
    }
    const slot: { -readonly [K in keyof GraphInput]: GraphInput[K] } = { name, type: slotType(type), link: link === undefined || link === null ? null : String(link) };
    if (widgetName !== undefined) slot.widget = widgetName;
    out.push(slot);
  }
  return out;
}

function readOutputs(outputs: unknown): Read<GraphOutput[]> {
  if (isNullish(outputs)) return [];
  if (!Array.isArray(outputs)) return GIVE_UP;
  const out: GraphOutput[] = [];
  for (const output of outputs) {
    if (!isObject(output)) return GIVE_UP;
    const { name, type, links } = output as Record<string, unknown>;
    if ((!isNullish(name) && typeof name !== 'string') || !isSlotType(type)) return GIVE_UP;
    if (!isNullish(links) && (!Array.isArray(links) || !links.every(isId))) return GIVE_UP;
    out.push({ name: (name as string | null | undefined) ?? '', type: slotType(type) });
  }
  return out;
}

/** A link in either form: `[id, origin, originSlot, target, targetSlot, type?, ...]` or the schema-1 object. */
function readLink(raw: unknown): Read<GraphLink> {
  if (Array.isArray(raw)) {
    if (raw.length < 5) return GIVE_UP;
    const [id, originId, originSlot, targetId, targetSlot] = raw as unknown[];
    const from = slotIndex(originSlot);
    const to = slotIndex(targetSlot);
    if (!isId(id) || !isId(originId) || !isId(targetId) || from === GIVE_UP || to === GIVE_UP) return GIVE_UP;
    return { id: String(id), originId: String(originId), originSlot: from, targetId: String(targetId), targetSlot: to, type: slotType(raw[5]) };
  }
  if (!isObject(raw)) return GIVE_UP;
  const { id, origin_id: originId, origin_slot: originSlot, target_id: targetId, target_slot: targetSlot, type } = raw as Record<string, unknown>;
  const from = slotIndex(originSlot);
  const to = slotIndex(targetSlot);
  if (!isId(id) || !isId(originId) || !isId(targetId) || from === GIVE_UP || to === GIVE_UP || !isSlotType(type)) return GIVE_UP;
  return { id: String(id), originId: String(originId), originSlot: from, targetId: String(targetId), targetSlot: to, type: slotType(type) };
}

/** `UiSlotIndex`: a number, or a string of digits (parsed as the frontend does). */
function slotIndex(value: unknown): Read<number> {
  if (isFiniteNumber(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number.parseInt(value, 10);
  return GIVE_UP;
}

const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** `z.object`'s test: an object, not null, not an array. */
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);
/** `UiId`: a finite number or a string. */
const isId = (value: unknown): boolean => isFiniteNumber(value) || typeof value === 'string';

/** `UiSlotType`: a string, a list of strings, a finite number, or nothing. */
function isSlotType(value: unknown): boolean {
  if (isNullish(value) || typeof value === 'string' || isFiniteNumber(value)) return true;
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** What `z.record` takes without a second look: a plain object of JSON. */
function isJsonRecord(value: unknown): boolean {
  if (!isObject(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
