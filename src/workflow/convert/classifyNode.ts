import type { Definition, GraphNode } from './graph';
import type { NodeReplacement } from '../../protocol/nodeReplacements';
import type { ObjectInfoIndex } from '../objectInfoIndex';

/** The node types the frontend never sends (docs/conversion.md §2.2, §4): the default virtual list. */
export const DEFAULT_VIRTUAL_NODE_TYPES: readonly string[] = ['Note', 'MarkdownNote', 'Reroute', 'PrimitiveNode', 'GetNode', 'SetNode'];

/** What a node is for the conversion (its mode is looked at separately). */
export type NodeKind =
  | { readonly kind: 'normal' }
  | { readonly kind: 'reroute' }
  | { readonly kind: 'primitive' }
  | { readonly kind: 'getter' }
  | { readonly kind: 'setter' }
  /** Note, MarkdownNote, and frontend-only types given in the options: no prompt entry, no outputs. */
  | { readonly kind: 'virtual' }
  | { readonly kind: 'instance'; readonly definition: Definition }
  /** A legacy group node whose definition is in `extra.groupNodes` under `name`. */
  | { readonly kind: 'group'; readonly name: string }
  /**
   * A class the server lacks but replaces (`GET /node_replacements`, newer servers): emitted under
   * its own class with its widget values named by `old_widget_ids`, then rewritten as the server would.
   */
  | { readonly kind: 'replaced'; readonly replacement: NodeReplacement }
  | { readonly kind: 'missing' };

const BEHAVIOUR: Readonly<Record<string, NodeKind['kind']>> = { Reroute: 'reroute', PrimitiveNode: 'primitive', GetNode: 'getter', SetNode: 'setter' };

export interface ClassifyScope {
  readonly index: ObjectInfoIndex;
  readonly virtualTypes: ReadonlySet<string>;
  readonly subgraphs: ReadonlyMap<string, Definition>;
  readonly groupNodes: ReadonlyMap<string, unknown>;
}

/** The group name of a legacy group node type (`workflow>Name`, older `workflow/Name`). */
export function groupNodeName(type: string): string | undefined {
  const match = /^workflow[>/](.+)$/.exec(type);
  return match?.[1];
}

/**
 * Pass 2 (docs/conversion.md §2.2): virtual types first (they are frontend-only even where a pack
 * also registers a class), then subgraph instances (type = a definition id, any shape), legacy
 * group nodes with a definition, classes of `/object_info`, classes the server replaces with
 * one it has; anything else is missing.
 */
export function classifyNode(node: GraphNode, scope: ClassifyScope): NodeKind {
  if (scope.virtualTypes.has(node.type)) return { kind: BEHAVIOUR[node.type] ?? 'virtual' } as NodeKind;
  const definition = scope.subgraphs.get(node.type);
  if (definition) return { kind: 'instance', definition };
  const group = groupNodeName(node.type);
  if (group !== undefined && scope.groupNodes.has(group)) return { kind: 'group', name: group };
  if (scope.index.has(node.type)) return { kind: 'normal' };
  const replacement = scope.index.server?.nodeReplacements?.[node.type]?.[0];
  if (replacement && scope.index.has(replacement.new_node_id)) return { kind: 'replaced', replacement };
  return { kind: 'missing' };
}
