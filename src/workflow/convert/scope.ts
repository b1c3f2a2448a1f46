import type { Definition, Graph, GraphNode } from './graph';
import type { ValueSource } from './valueSource';

/**
 * One graph as it is instantiated: the root, or the interior of one subgraph / group node
 * instance. Execution ids of its nodes are `prefix + id` (`12:7:5`).
 */
export interface Scope {
  readonly graph: Graph;
  readonly prefix: string;
  readonly parent?: Scope;
  /** The instance node (in `parent.graph`) this scope is the interior of. */
  readonly host?: GraphNode;
  readonly definition?: Definition;
  /** This instance's widget values for interior nodes: relative id (`5`, or `7:5` deeper) -> widget -> value. */
  readonly overrides: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** Where each override is in the file (the instance's `widgets_values` slot), same keys. */
  readonly overrideSources?: ReadonlyMap<string, ReadonlyMap<string, ValueSource>>;
  /** The literal an unlinked instance input `k` gives the interior (the promoted widget's value). */
  readonly promoted: ReadonlyMap<number, unknown>;
  /** Where each promoted value is in the file, same keys. */
  readonly promotedSources?: ReadonlyMap<number, ValueSource>;
}

export function executionId(scope: Scope, node: GraphNode): string {
  return scope.prefix + node.id;
}

/** The index of the instance input that carries definition input `k`: by name for subgraphs, by position among sockets for group nodes. */
export function hostInputIndex(scope: Scope, k: number): number {
  const host = scope.host;
  const definition = scope.definition;
  if (!host || !definition) return -1;
  if (definition.kind === 'group') {
    let seen = -1;
    return host.inputs.findIndex((input) => input.widget === undefined && ++seen === k);
  }
  const name = definition.inputs[k]?.name;
  const byName = name === undefined ? -1 : host.inputs.findIndex((input) => input.name === name);
  return byName >= 0 ? byName : k < host.inputs.length ? k : -1;
}
