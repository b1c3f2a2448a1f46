import type { AssignedWidget } from './assignWidgetValues';
import type { ConversionContext } from './conversionContext';
import { resolveDynamicPrompt } from './dynamicPrompt';
import type { GraphNode } from './graph';
import { replacementNodes } from './replacementNodes';
import { applyTextReplacements, TEXT_REPLACEMENT_CLASSES } from './textReplacement';
import { CURVE_TYPE } from './widgetTypes';

/**
 * Pass 4 (docs/conversion.md §2.4): the value a widget sends. Dynamic prompts resolved on STRING
 * widgets that declare `dynamicPrompts`, `filename_prefix` replacements on the savers that have
 * them, lists wrapped as `{"__value__": [...]}` (curves as `{"__type__": "CURVE", ...}`).
 * `undefined` means nothing is sent (JSON drops it).
 */
export function serializeWidgetValue(ctx: ConversionContext, node: GraphNode, widget: AssignedWidget, value: unknown, executionId: string): unknown {
  let sent = value;
  if (typeof sent === 'string') {
    if (widget.widget?.input?.options.dynamicPrompts === true && ctx.options.dynamicPrompts !== false) sent = resolveDynamicPrompt(sent, ctx.options.random ?? Math.random);
    if (widget.name === 'filename_prefix' && TEXT_REPLACEMENT_CLASSES.has(node.type) && (sent as string).includes('%')) {
      sent = applyTextReplacements(sent as string, replacementNodes(ctx), ctx.options.now ?? new Date(), (token) =>
        ctx.warn(executionId, { type: 'unresolved_replacement', classType: node.type, input: widget.name, message: `%${token}% names no node or widget: left as is` }),
      );
    }
  }
  return wrapList(sent, widget.widget?.widgetType);
}

/** Lists are sent wrapped (the server treats every bare list as a link). */
export function wrapList(value: unknown, widgetType?: string): unknown {
  if (!Array.isArray(value)) return value;
  return widgetType === CURVE_TYPE ? { __type__: CURVE_TYPE, __value__: value } : { __value__: value };
}
