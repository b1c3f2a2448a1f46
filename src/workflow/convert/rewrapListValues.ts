import { isPlainObject } from '../../util/isPlainObject';

/** `[nodeId, slot]`: how the API format writes a link. */
const isLink = (value: unknown): boolean => Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';

/**
 * A prompt read back from an output file, made fit to post again (docs/conversion.md §5): the server
 * embeds the prompt after validation, with `{"__value__": [...]}` unwrapped, so every list value
 * that is not a link (`[nodeId, slot]`) is wrapped again. The input is not changed.
 * @example rewrapListValues({ '1': { class_type: 'X', inputs: { points: [1, 2, 3] } } }) // points: { __value__: [1, 2, 3] }
 */
export function rewrapListValues(prompt: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(prompt)) {
    if (!isPlainObject(node) || !isPlainObject(node.inputs)) {
      result[id] = node;
      continue;
    }
    const inputs = Object.fromEntries(Object.entries(node.inputs).map(([name, value]) => [name, Array.isArray(value) && !isLink(value) ? { __value__: value } : value]));
    result[id] = { ...node, inputs };
  }
  return result;
}
