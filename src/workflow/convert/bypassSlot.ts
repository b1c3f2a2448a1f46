import type { GraphNode } from './graph';

const ANY = new Set(['', '*', '0']);

/**
 * Slot type compatibility as litegraph checks a connection [LG LiteGraphGlobal.isValidConnection]:
 * `""`, `*` and 0 match anything; otherwise case-insensitive equality, comma lists matching when
 * any pair does.
 */
export function typesCompatible(a: string, b: string): boolean {
  if (ANY.has(a) || ANY.has(b)) return true;
  const left = a.toLowerCase().split(',');
  const right = b.toLowerCase().split(',');
  return left.some((x) => right.some((y) => ANY.has(x) || ANY.has(y) || x === y));
}

/**
 * The input a bypassed node passes through to its output `slot` for a consumer wanting `want`
 * (docs/conversion.md §2.6): any consumer takes the same slot; else the same slot when it fits both
 * the output and the consumer, else the first input of exactly the wanted type, else the first
 * that fits both; -1 when none does (or the node has no inputs).
 */
export function bypassSlot(node: GraphNode, slot: number, want: string): number {
  const inputs = node.inputs;
  if (inputs.length === 0) return -1;
  if (ANY.has(want)) return slot < inputs.length ? slot : 0;
  const out = node.outputs[slot]?.type ?? '*';
  const same = inputs[slot];
  if (same && typesCompatible(same.type, out) && typesCompatible(same.type, want)) return slot;
  const exact = inputs.findIndex((input) => input.type === want);
  if (exact >= 0) return exact;
  return inputs.findIndex((input) => typesCompatible(input.type, out) && typesCompatible(input.type, want));
}
