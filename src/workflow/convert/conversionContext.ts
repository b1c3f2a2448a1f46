import { type AssignedWidget, assignWidgetValues, widgetSockets } from './assignWidgetValues';
import { classifyNode, DEFAULT_VIRTUAL_NODE_TYPES, type NodeKind } from './classifyNode';
import type { Definition, Graph, GraphNode } from './graph';
import { buildGroupDefinition, type GroupDefinition } from './groupNodes';
import { type InstanceValues, instanceValues, nestedOverrides } from './instanceValues';
import type { PromptSources, ValueSource } from './valueSource';
import { invalidWorkflow } from './invalidWorkflow';
import type { NormalizedWorkflow } from './normalizeWorkflow';
import type { NodeClass, ObjectInfoIndex } from '../objectInfoIndex';
import { executionId, type Scope } from './scope';
import type { ConversionWarning } from './warnings';
import { type PlannedWidget, planWidgets } from './widgetPlan';

/** Options of `toApiPrompt`. */
export interface ToApiPromptOptions {
  /** Restore widget values from `widgets_values_named` when present (default: positional, as the frontend does). */
  readonly preferNamedValues?: boolean;
  /** Frontend-only node types never sent (default: Note, MarkdownNote, Reroute, PrimitiveNode, GetNode, SetNode). */
  readonly virtualNodeTypes?: readonly string[];
  /** Resolve `{a|b}` dynamic prompts (default true, as the frontend does at queue time). */
  readonly dynamicPrompts?: boolean;
  /** The random source of dynamic prompts, in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** The clock of `%date:…%` replacements (default: now). */
  readonly now?: Date;
}

/** `outer` with the entries of `inner` added over it, per node. */
function merged<T>(outer: Map<string, ReadonlyMap<string, T>>, inner: ReadonlyMap<string, ReadonlyMap<string, T>>): Map<string, ReadonlyMap<string, T>> {
  for (const [key, entries] of inner) outer.set(key, new Map([...(outer.get(key) ?? []), ...entries]));
  return outer;
}

/** The name a KJNodes SetNode (or GetNode) carries: its first widget value. */
export function setterName(node: GraphNode): unknown {
  return Array.isArray(node.widgetsValues) ? node.widgetsValues[0] : undefined;
}

const NO_NODES: readonly GraphNode[] = [];

/** Subgraph instances nested deeper than this are a malformed (or self-containing) file. */
const MAX_NESTING = 64;

/**
 * What every pass shares for one conversion: the normalised workflow, the `/object_info` index,
 * the options, the collected warnings, and memoised per-node work (widget values, classes,
 * instance scopes). Created by `toApiPrompt`; nothing outlives the call.
 */
export class ConversionContext {
  readonly warnings: ConversionWarning[];
  readonly root: Scope;
  private readonly virtualTypes: ReadonlySet<string>;
  private readonly assigned = new WeakMap<GraphNode, AssignedWidget[]>();
  private readonly scopes = new Map<string, Scope>();
  private readonly groups = new Map<string, GroupDefinition>();
  private readonly kinds = new WeakMap<GraphNode, NodeKind>();
  private readonly plans = new Map<string, PlannedWidget[]>();
  /** Where each literal of the prompt comes from, when the caller asked (see `runPasses`). */
  readonly sources?: PromptSources;
  private readonly setters = new WeakMap<Graph, Map<unknown, GraphNode[]>>();
  /** Classes whose `/object_info` entry was checked against its key. */
  private readonly namesChecked = new Set<string>();

  constructor(
    readonly workflow: NormalizedWorkflow,
    readonly index: ObjectInfoIndex,
    readonly options: ToApiPromptOptions,
    traceSources = false,
  ) {
    if (traceSources) this.sources = new Map();
    this.warnings = [...workflow.warnings];
    this.virtualTypes = new Set(options.virtualNodeTypes ?? DEFAULT_VIRTUAL_NODE_TYPES);
    this.root = { graph: workflow.root, prefix: '', overrides: new Map(), promoted: new Map() };
  }

  /** Records where input `name` of node `id` got its literal (nothing when sources are not traced; `undefined`: no place in the file). */
  recordSource(id: string, name: string, source: ValueSource | undefined): void {
    if (!this.sources) return;
    let inputs = this.sources.get(id);
    if (!inputs) this.sources.set(id, (inputs = new Map()));
    if (source) inputs.set(name, source);
    else inputs.delete(name);
  }

  warn(nodeId: string, warning: Omit<ConversionWarning, 'nodeId'>): void {
    this.warnings.push({ ...warning, nodeId });
  }

  classify(node: GraphNode): NodeKind {
    let kind = this.kinds.get(node);
    if (!kind) {
      kind = classifyNode(node, { index: this.index, virtualTypes: this.virtualTypes, subgraphs: this.workflow.subgraphs, groupNodes: this.workflow.groupNodes });
      this.kinds.set(node, kind);
    }
    return kind;
  }

  /**
   * The KJNodes SetNodes of one graph named `name` (their first widget value), in file order: one
   * scan of the graph indexes every setter by name, so resolving each GetNode is a lookup (20,000
   * Get/Set pairs resolve in linear time).
   */
  settersNamed(graph: Graph, name: unknown): readonly GraphNode[] {
    let byName = this.setters.get(graph);
    if (!byName) {
      byName = new Map();
      for (const node of graph.nodes.values()) {
        if (this.classify(node).kind !== 'setter') continue;
        const key = setterName(node);
        if (key !== key) continue; // NaN names match nothing (as `===` decides)
        const list = byName.get(key);
        if (list) list.push(node);
        else byName.set(key, [node]);
      }
      this.setters.set(graph, byName);
    }
    return name !== name ? NO_NODES : (byName.get(name) ?? NO_NODES);
  }

  /** The widget plan of a node's class (memoised per class and set of widget sockets). */
  planOf(nodeClass: NodeClass, node: GraphNode): PlannedWidget[] {
    const sockets = widgetSockets(node);
    const key = sockets.size === 0 ? nodeClass.name : `${nodeClass.name}\u0000${[...sockets].sort().join('\u0000')}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = planWidgets(nodeClass, sockets);
      this.plans.set(key, plan);
    }
    return plan;
  }

  nodeClass(node: GraphNode): NodeClass | undefined {
    return this.index.get(node.type);
  }

  /** The definition an instance node expands into (a subgraph, or a legacy group node), if it is one. */
  definitionOf(node: GraphNode): Definition | undefined {
    const kind = this.classify(node);
    if (kind.kind === 'instance') return kind.definition;
    if (kind.kind === 'group') return this.groupDefinition(kind.name).definition;
    return undefined;
  }

  groupDefinition(name: string): GroupDefinition {
    let found = this.groups.get(name);
    if (!found) {
      found = buildGroupDefinition(name, this.workflow.groupNodes.get(name)!, `extra.groupNodes.${name}`, (child) => this.groupWidgetSlots(child));
      this.groups.set(name, found);
    }
    return found;
  }

  /** The widgets of a node with its file's values and this scope's instance values applied. */
  widgetsOf(scope: Scope, node: GraphNode): AssignedWidget[] {
    const own = this.ownWidgets(node, executionId(scope, node));
    const overrides = scope.overrides.get(node.id);
    if (!overrides) return own;
    const sources = scope.overrideSources?.get(node.id);
    return own.map((widget) =>
      widget.kind === 'value' && overrides.has(widget.name) ? { ...widget, value: overrides.get(widget.name), source: sources?.get(widget.name) } : widget,
    );
  }

  /** The widgets of a node with its own saved values (memoised per node; warnings once). */
  ownWidgets(node: GraphNode, executionIdForWarnings: string): AssignedWidget[] {
    let found = this.assigned.get(node);
    if (!found) {
      const nodeClass = this.nodeClass(node);
      if (nodeClass) this.checkName(nodeClass, executionIdForWarnings);
      found = nodeClass
        ? assignWidgetValues(node, nodeClass, this.planOf(nodeClass, node), this.options, (warning) => this.warn(executionIdForWarnings, warning))
        : [];
      this.assigned.set(node, found);
    }
    return found;
  }

  /** The class name is the entry's key: an entry naming another class is a warning (once per class). */
  private checkName(nodeClass: NodeClass, nodeId: string): void {
    if (this.namesChecked.has(nodeClass.name)) return;
    this.namesChecked.add(nodeClass.name);
    const declared = nodeClass.definition.name;
    if (declared === undefined || declared === nodeClass.name) return;
    this.warn(nodeId, {
      type: 'object_info_name_mismatch',
      classType: nodeClass.name,
      message: `the /object_info entry ${JSON.stringify(nodeClass.name)} is named ${JSON.stringify(declared)}: the key is used as the class`,
    });
  }

  /** The interior scope of an instance node (memoised per execution id). */
  instanceScope(scope: Scope, host: GraphNode, definition: Definition): Scope {
    const id = executionId(scope, host);
    const cached = this.scopes.get(id);
    if (cached) return cached;
    let depth = 0;
    for (let up: Scope | undefined = scope; up; up = up.parent) {
      if (up.definition?.id === definition.id && definition.kind === 'subgraph') throw invalidWorkflow(host.path, `subgraph ${definition.id} contains an instance of itself`, id);
      if (++depth > MAX_NESTING) throw invalidWorkflow(host.path, `subgraphs nested deeper than ${MAX_NESTING}`, id);
    }
    const values: InstanceValues =
      definition.kind === 'group' ? this.groupInstanceValues(host, definition.name) : instanceValues(host, definition, (nodeId, widget) => this.hasCompanion(definition, nodeId, widget));
    const overrides = merged(nestedOverrides(scope.overrides, host.id), values.overrides);
    const overrideSources = merged(nestedOverrides(scope.overrideSources ?? new Map<string, ReadonlyMap<string, ValueSource>>(), host.id), values.overrideSources);
    const interior: Scope = { graph: definition.graph, prefix: `${id}:`, parent: scope, host, definition, overrides, overrideSources, promoted: values.promoted, promotedSources: values.promotedSources };
    this.scopes.set(id, interior);
    return interior;
  }

  private hasCompanion(definition: Definition, nodeId: string, widget: string): boolean {
    const node = definition.graph.nodes.get(nodeId);
    const nodeClass = node && this.nodeClass(node);
    if (!nodeClass) return false;
    return this.planOf(nodeClass, node).some((planned) => planned.name === widget && planned.companions.length > 0);
  }

  private groupInstanceValues(host: GraphNode, name: string): InstanceValues {
    const { valueTargets } = this.groupDefinition(name);
    const values = Array.isArray(host.widgetsValues) ? (host.widgetsValues as readonly unknown[]) : [];
    const overrides = new Map<string, Map<string, unknown>>();
    const overrideSources = new Map<string, Map<string, ValueSource>>();
    valueTargets.forEach((target, i) => {
      if (!target || i >= values.length) return;
      if (!overrides.has(target.nodeId)) overrides.set(target.nodeId, new Map());
      overrides.get(target.nodeId)!.set(target.name, values[i]);
      if (!overrideSources.has(target.nodeId)) overrideSources.set(target.nodeId, new Map());
      overrideSources.get(target.nodeId)!.set(target.name, { node: host, slot: i });
    });
    return { promoted: new Map(), overrides, promotedSources: new Map(), overrideSources };
  }

  /** The slots a legacy group node's child adds to the group's widget values (companions as null). */
  private groupWidgetSlots(child: GraphNode): (string | null)[] {
    const converted = widgetSockets(child);
    if (this.classify(child).kind === 'primitive') return ['value', null];
    const nodeClass = this.nodeClass(child);
    if (!nodeClass) return [];
    return planWidgets(nodeClass, converted)
      .filter((widget) => !converted.has(widget.name))
      .flatMap((widget) => [widget.kind === 'value' ? widget.name : null, ...widget.companions.map(() => null)]);
  }
}
