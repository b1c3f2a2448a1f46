import type { NodeReplacementTable } from '../../protocol/nodeReplacements';
import { isPlainObject } from '../../util/isPlainObject';
import { PyException } from '../validate/pyException';
import { pyRepr, pyTypeName } from '../validate/python';

/** `comfy_execution.graph_utils.is_link`: `[str, int | float]`. */
const isLink = (value: unknown): value is [string, number] =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && (typeof value[1] === 'number' || typeof value[1] === 'boolean');

/**
 * What a newer ComfyUI does to a prompt before it validates it (`NodeReplaceManager.apply_replacements`):
 * every node whose class the server lacks (`has(classType)` false) and that has a replacement to
 * an installed class becomes that class; its inputs are rebuilt from the first replacement's
 * `input_mapping` only (`old_id` carried over, `set_value` set; unmapped inputs dropped, `_meta`
 * kept), and links to its outputs follow `output_mapping`. Changes `prompt` in place (the nodes it
 * replaces and the link values it renumbers are new objects: what the caller passed in is not
 * touched). Returns the ids of the replaced nodes. Raises the server's exceptions as
 * {@link PyException}s: a mapped input the node lacks is a `KeyError` (the server's 500), as are
 * `inputs` that are not a dict.
 * @example applyNodeReplacements(graph, await firstValueFrom(http.nodeReplacements()), (c) => index.has(c))
 */
export function applyNodeReplacements(prompt: Record<string, unknown>, table: NodeReplacementTable, has: (classType: string) => boolean): string[] {
  const connections = new Map<string, [consumer: string, input: string, slot: unknown][]>();
  const needed: string[] = [];
  const hasReplacement = (classType: string) => Object.prototype.hasOwnProperty.call(table, classType);
  for (const [id, node] of Object.entries(prompt)) {
    if (!isPlainObject(node) || !('class_type' in node) || !('inputs' in node)) continue;
    const classType = node.class_type;
    if (typeof classType === 'object' && classType !== null) throw new PyException('TypeError', `unhashable type: '${pyTypeName(classType)}'`);
    if (typeof classType === 'string' && !has(classType) && hasReplacement(classType)) needed.push(id);
    if (!isPlainObject(node.inputs)) throw new PyException('AttributeError', `'${pyTypeName(node.inputs)}' object has no attribute 'items'`);
    for (const [input, value] of Object.entries(node.inputs)) {
      if (!isLink(value)) continue;
      const list = connections.get(value[0]) ?? [];
      list.push([id, input, value[1]]);
      connections.set(value[0], list);
    }
  }
  const replaced: string[] = [];
  for (const id of needed) {
    const node = prompt[id] as Record<string, unknown>;
    const replacement = table[node.class_type as string]?.[0];
    if (!replacement || !has(replacement.new_node_id)) continue;
    const oldInputs = node.inputs as Record<string, unknown>;
    const inputs: Record<string, unknown> = {};
    for (const mapping of replacement.input_mapping ?? []) {
      if ('set_value' in mapping) inputs[mapping.new_id] = mapping.set_value;
      else if (mapping.old_id !== undefined) {
        if (!Object.prototype.hasOwnProperty.call(oldInputs, mapping.old_id)) throw new PyException('KeyError', pyRepr(mapping.old_id));
        inputs[mapping.new_id] = oldInputs[mapping.old_id];
      }
    }
    prompt[id] = { ...node, class_type: replacement.new_node_id, inputs, _meta: isPlainObject(node._meta) ? { ...node._meta } : {} };
    replaced.push(id);
    for (const [consumer, input, slot] of connections.get(id) ?? []) {
      for (const output of replacement.output_mapping ?? []) {
        if (output.old_idx !== slot) continue;
        const consumerInputs = (prompt[consumer] as Record<string, unknown>).inputs as Record<string, unknown>;
        if (!Object.prototype.hasOwnProperty.call(consumerInputs, input)) throw new PyException('KeyError', pyRepr(input));
        const link = consumerInputs[input];
        if (!Array.isArray(link)) throw new PyException('TypeError', `'${pyTypeName(link)}' object does not support item assignment`);
        consumerInputs[input] = [link[0], output.new_idx, ...link.slice(2)];
      }
    }
  }
  return replaced;
}
