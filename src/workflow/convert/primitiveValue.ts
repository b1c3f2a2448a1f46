import type { ConversionContext } from './conversionContext';
import type { GraphNode } from './graph';
import type { Scope } from './scope';
import type { ValueSource } from './valueSource';
import { applyTextReplacements } from './textReplacement';
import { replacementNodes } from './replacementNodes';

/**
 * The value a legacy PrimitiveNode pushes into the widgets it feeds [FE widgetInputs.ts
 * applyToGraph]: its own `widgets_values[0]` (or its group-node instance value), with the text
 * replacements applied when its property `Run widget replace on values` is on.
 */
export function primitiveValue(ctx: ConversionContext, scope: Scope, node: GraphNode): unknown {
  const overridden = scope.overrides.get(node.id);
  const value = overridden?.has('value') ? overridden.get('value') : Array.isArray(node.widgetsValues) ? node.widgetsValues[0] : undefined;
  if (typeof value === 'string' && value.includes('%') && node.properties['Run widget replace on values'] === true) {
    return applyTextReplacements(value, replacementNodes(ctx), ctx.options.now ?? new Date());
  }
  return value;
}

/** Where {@link primitiveValue} reads the value: the group-node instance slot that overrides it, else the primitive's own `widgets_values[0]`. */
export function primitiveSource(scope: Scope, node: GraphNode): ValueSource | undefined {
  if (scope.overrides.get(node.id)?.has('value')) return scope.overrideSources?.get(node.id)?.get('value');
  return Array.isArray(node.widgetsValues) || node.widgetsValues === undefined ? { node, slot: 0, name: 'value' } : undefined;
}
