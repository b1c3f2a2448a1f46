import { pyEquals } from './python';

/** The types any link matches: ComfyUI's `*` (AnyType) and v3's MatchType (checked by the frontend). */
const WILDCARD_TYPES: ReadonlySet<string> = new Set(['*', 'COMFY_MATCHTYPE_V3']);

/**
 * ComfyUI's `validate_node_input(received_type, input_type)`: equal types match; `*` and
 * `COMFY_MATCHTYPE_V3` on either side match; otherwise two type names match when their
 * comma-separated parts overlap (`IMAGE,MASK` takes a `MASK`). A combo input (a list) only
 * matches the same list.
 */
export function linkTypeMatches(receivedType: unknown, inputType: unknown): boolean {
  if (pyEquals(receivedType, inputType)) return true;
  if (typeof receivedType !== 'string' || typeof inputType !== 'string') return false;
  if (WILDCARD_TYPES.has(receivedType) || WILDCARD_TYPES.has(inputType)) return true;
  const wanted = new Set(inputType.split(',').map((part) => part.trim()));
  return receivedType.split(',').some((part) => wanted.has(part.trim()));
}
