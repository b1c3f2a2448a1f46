import { ComfyMissingNodeTypesError, type MissingNodeType } from '../../errors';
import type { ConversionContext } from './conversionContext';
import { forEachActiveNode } from './emitPrompt';
import { executionId } from './scope';

/**
 * Pass 3 (docs/conversion.md §4): every node type of every active scope (root, subgraph and group-node
 * interiors) that is not virtual, not a definition and not in `/object_info`; muted nodes are
 * skipped. Throws one `ComfyMissingNodeTypesError` listing all of them, sorted, with the execution
 * ids and pack hints of their nodes.
 */
export function findMissingTypes(ctx: ConversionContext): void {
  const missing = new Map<string, { nodeIds: string[]; cnrId?: string; auxId?: string; ver?: string }>();
  forEachActiveNode(ctx, ctx.root, (scope, node) => {
    if (ctx.classify(node).kind !== 'missing') return;
    let entry = missing.get(node.type);
    if (!entry) {
      entry = { nodeIds: [] };
      for (const [key, property] of [['cnrId', 'cnr_id'], ['auxId', 'aux_id'], ['ver', 'ver']] as const) {
        const value = node.properties[property];
        if (typeof value === 'string') entry[key] = value;
      }
      missing.set(node.type, entry);
    }
    entry.nodeIds.push(executionId(scope, node));
  });
  if (missing.size === 0) return;
  const types: MissingNodeType[] = [...missing.keys()].sort().map((type) => ({ type, ...missing.get(type)! }));
  throw new ComfyMissingNodeTypesError(types);
}
