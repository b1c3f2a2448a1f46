import type { ConversionContext } from './conversionContext';
import type { GraphNode } from './graph';
import type { ReplacementNode } from './textReplacement';

const cache = new WeakMap<ConversionContext, readonly ReplacementNode[]>();

/** Every node of every graph (root, then subgraph definitions) as `%Node.widget%` sees it, built once per conversion. */
export function replacementNodes(ctx: ConversionContext): readonly ReplacementNode[] {
  let found = cache.get(ctx);
  if (!found) {
    const graphs = [ctx.workflow.root, ...[...ctx.workflow.subgraphs.values()].map((definition) => definition.graph)];
    found = graphs.flatMap((graph) => [...graph.nodes.values()].map((node) => asReplacementNode(ctx, node)));
    cache.set(ctx, found);
  }
  return found;
}

function asReplacementNode(ctx: ConversionContext, node: GraphNode): ReplacementNode {
  return {
    searchName: node.properties['Node name for S&R'],
    title: runtimeTitle(ctx, node),
    widgetValue: (name) => {
      if (ctx.classify(node).kind === 'primitive') return name === 'value' && Array.isArray(node.widgetsValues) ? { value: node.widgetsValues[0] } : undefined;
      const widget = ctx.ownWidgets(node, node.id).find((candidate) => candidate.name === name);
      return widget && { value: widget.value };
    },
  };
}

/** The title the editor shows: the saved one, else the class's display name, else the class name (its `/object_info` key) [FE litegraphService registerNodeDef]. */
export function runtimeTitle(ctx: ConversionContext, node: GraphNode): string {
  if (node.title !== undefined) return node.title;
  return ctx.nodeClass(node)?.definition.display_name || node.type;
}
