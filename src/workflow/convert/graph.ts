/**
 * The UI workflow after parsing and normalising (docs/conversion.md §2.1): one `Graph` per scope (the
 * root, each subgraph definition, each legacy group node), ids as strings, slot types as strings,
 * links indexed by id. Plain read-only data derived from the zod-parsed file, shared by every pass.
 */

/** An input slot of a node; `link` is the id of the link feeding it, in the node's own scope. */
export interface GraphInput {
  readonly name: string;
  readonly type: string;
  readonly link: string | null;
  /** Set when the slot is the socket of a widget (`input.widget.name`). */
  readonly widget?: string;
}

export interface GraphOutput {
  readonly name: string;
  readonly type: string;
}

export interface GraphNode {
  readonly id: string;
  readonly type: string;
  /** 0 always, 1 on event, 2 never (muted), 3 on trigger, 4 bypass. */
  readonly mode: number;
  readonly title?: string;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly GraphOutput[];
  readonly properties: Readonly<Record<string, unknown>>;
  readonly widgetsValues?: readonly unknown[] | Readonly<Record<string, unknown>>;
  readonly widgetsValuesNamed?: Readonly<Record<string, unknown>>;
  /** Where the node is in the file, for errors: `nodes.3`, `definitions.subgraphs.0.nodes.2`. */
  readonly path: string;
}

export interface GraphLink {
  readonly id: string;
  readonly originId: string;
  readonly originSlot: number;
  readonly targetId: string;
  readonly targetSlot: number;
  readonly type: string;
}

export interface Graph {
  /** Nodes in file order, by id. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly links: ReadonlyMap<string, GraphLink>;
  readonly path: string;
}

/** One input or output of a subgraph definition (or of a legacy group node) and its inner links. */
export interface BoundarySlot {
  readonly name: string;
  readonly type: string;
  readonly linkIds: readonly string[];
}

/** A graph that instances expand into: a subgraph definition, or a legacy group node. */
export interface Definition {
  readonly kind: 'subgraph' | 'group';
  readonly id: string;
  readonly name: string;
  readonly graph: Graph;
  readonly inputs: readonly BoundarySlot[];
  readonly outputs: readonly BoundarySlot[];
}

/** The node id of a subgraph's input box (links from it carry the instance's inputs) [LG constants.ts]. */
export const SUBGRAPH_INPUT_ID = '-10';
/** The node id of a subgraph's output box. */
export const SUBGRAPH_OUTPUT_ID = '-20';

/** Normalises a slot type: lists become comma lists, the number 0 and a missing type mean any (`*`). */
export function slotType(type: unknown): string {
  if (Array.isArray(type)) return type.map(String).join(',');
  if (typeof type === 'number') return type === 0 ? '*' : String(type);
  return typeof type === 'string' ? type : '*';
}
