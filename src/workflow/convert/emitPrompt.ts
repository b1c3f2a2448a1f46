import type { ConversionContext } from './conversionContext';
import type { GraphNode } from './graph';
import { runtimeTitle } from './replacementNodes';
import { resolveInput } from './resolveInput';
import { executionId, type Scope } from './scope';
import { serializeWidgetValue, wrapList } from './serializeWidgetValue';
import type { ApiPrompt, ApiPromptNode } from '../apiPrompt';
import type { NodeReplacement } from '../../protocol/nodeReplacements';
import { emitReplacedNode, replaceNodes } from './serverReplacements';

/**
 * Visits every node that is not muted, descending into active subgraph and group-node instances
 * (muted and bypassed instances, root or nested, are not expanded: their interior is inactive).
 */
export function forEachActiveNode(ctx: ConversionContext, scope: Scope, visit: (scope: Scope, node: GraphNode) => void): void {
  for (const node of scope.graph.nodes.values()) {
    if (node.mode === 2) continue;
    visit(scope, node);
    if (node.mode === 4) continue;
    const definition = ctx.definitionOf(node);
    if (definition) forEachActiveNode(ctx, ctx.instanceScope(scope, node, definition), visit);
  }
}

/**
 * Pass 6 (docs/conversion.md §2.7, §2.8): one entry per active, non-virtual node, widgets first and
 * then every input slot resolved (a link overwrites a widget value of the same name), and then
 * link values pointing at nodes that are not in the prompt removed.
 */
export function emitPrompt(ctx: ConversionContext): ApiPrompt {
  const prompt: ApiPrompt = {};
  const replaced = new Map<string, NodeReplacement>();
  forEachActiveNode(ctx, ctx.root, (scope, node) => {
    if (node.mode === 4) return;
    const kind = ctx.classify(node);
    if (kind.kind === 'normal') {
      const id = executionId(scope, node);
      prompt[id] = emitNode(ctx, scope, node, id);
    } else if (kind.kind === 'replaced') {
      const id = executionId(scope, node);
      prompt[id] = emitReplacedNode(ctx, scope, node, kind.replacement);
      replaced.set(id, kind.replacement);
    }
  });
  for (const id in prompt) {
    const entry = prompt[id]!;
    const { inputs } = entry;
    for (const name in inputs) {
      const value = inputs[name];
      if (Array.isArray(value) && typeof value[0] === 'string' && !(value[0] in prompt)) {
        delete inputs[name];
        ctx.warn(id, { type: 'dropped_link', classType: entry.class_type, input: name, message: `${name} linked to node ${value[0]}, which is not in the prompt: removed` });
      }
    }
  }
  replaceNodes(ctx, prompt, replaced);
  return prompt;
}

function emitNode(ctx: ConversionContext, scope: Scope, node: GraphNode, id: string): ApiPromptNode {
  const inputs: Record<string, unknown> = {};
  const widgets = ctx.widgetsOf(scope, node);
  for (const widget of widgets) {
    if (widget.kind !== 'value') continue;
    if (widget.widget?.uploadsAtQueue) {
      ctx.warn(id, { type: 'unsupported_widget', classType: node.type, input: widget.name, message: `${node.type}.${widget.name} (${widget.widget.widgetType}) makes its value in the browser at queue time: not sent` });
      continue;
    }
    if (widget.widget?.unknownKind) {
      ctx.warn(id, { type: 'unknown_widget_kind', classType: node.type, input: widget.name, message: `${node.type}.${widget.name} is a ${widget.widget.widgetType} widget of a node pack: its stored value is sent as is` });
    }
    const value = serializeWidgetValue(ctx, node, widget, widget.value, id);
    if (value !== undefined) {
      inputs[widget.name] = value;
      ctx.recordSource(id, widget.name, widget.source);
    }
  }
  for (let index = 0; index < node.inputs.length; index++) {
    const input = node.inputs[index]!;
    const resolved = resolveInput(ctx, scope, node, index);
    if (resolved.kind === 'link') {
      inputs[input.name] = [resolved.id, resolved.slot];
      ctx.recordSource(id, input.name, undefined);
    } else if (resolved.kind === 'literal') {
      const name = input.widget ?? input.name;
      const widget = widgets.find((candidate) => candidate.kind === 'value' && candidate.name === name);
      const value = widget ? serializeWidgetValue(ctx, node, widget, resolved.value, id) : wrapList(resolved.value);
      if (value !== undefined) {
        inputs[input.name] = value;
        ctx.recordSource(id, input.name, resolved.source);
      }
    }
  }
  return { inputs, class_type: node.type, _meta: { title: runtimeTitle(ctx, node) } };
}
