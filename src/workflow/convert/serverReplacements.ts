import { ComfyMissingNodeTypesError } from '../../errors';
import type { NodeReplacement } from '../../protocol/nodeReplacements';
import type { ApiPrompt, ApiPromptNode } from '../apiPrompt';
import { applyNodeReplacements } from '../server/applyNodeReplacements';
import { PyException } from '../validate/pyException';
import type { ConversionContext } from './conversionContext';
import type { GraphNode } from './graph';
import { resolveInput } from './resolveInput';
import type { Scope } from './scope';
import { wrapList } from './serializeWidgetValue';

/**
 * A node of a class the server lacks but replaces (docs/conversion.md, "Node replacements"), as
 * the editor would send it: its own class, its widget values named by the replacement's
 * `old_widget_ids` (by position; by name for object-form values), its linked inputs by name.
 * {@link replaceNodes} then rewrites it as the server does.
 */
export function emitReplacedNode(ctx: ConversionContext, scope: Scope, node: GraphNode, replacement: NodeReplacement): ApiPromptNode {
  const inputs: Record<string, unknown> = {};
  const stored = node.widgetsValues;
  (replacement.old_widget_ids ?? []).forEach((name, position) => {
    const value = Array.isArray(stored) ? stored[position] : stored !== undefined ? (stored as Readonly<Record<string, unknown>>)[name] : undefined;
    if (value !== undefined) inputs[name] = wrapList(value);
  });
  node.inputs.forEach((input, index) => {
    const resolved = resolveInput(ctx, scope, node, index);
    if (resolved.kind === 'link') inputs[input.name] = [resolved.id, resolved.slot];
    else if (resolved.kind === 'literal') inputs[input.name] = wrapList(resolved.value);
  });
  return { inputs, class_type: node.type, _meta: { title: node.title ?? node.type } };
}

/**
 * Rewrites the replaced nodes of `prompt` as the server will before it validates
 * ({@link applyNodeReplacements}), with a warning per node. A node the replacement cannot take
 * (a mapped input it lacks: the server would fail with a 500) leaves its class missing:
 * `ComfyMissingNodeTypesError`.
 */
export function replaceNodes(ctx: ConversionContext, prompt: ApiPrompt, replaced: ReadonlyMap<string, NodeReplacement>): void {
  if (replaced.size === 0) return;
  try {
    applyNodeReplacements(prompt, ctx.index.server?.nodeReplacements ?? {}, (classType) => ctx.index.has(classType));
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    const byType = new Map<string, string[]>();
    for (const [id, replacement] of replaced) byType.set(replacement.old_node_id, [...(byType.get(replacement.old_node_id) ?? []), id]);
    throw new ComfyMissingNodeTypesError([...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, nodeIds]) => ({ type, nodeIds })));
  }
  for (const [id, replacement] of replaced) {
    ctx.warn(id, {
      type: 'node_replaced',
      classType: replacement.old_node_id,
      message: `${replacement.old_node_id} is not installed: the server replaces it with ${replacement.new_node_id} (its node replacements), and so does the prompt`,
    });
  }
}
