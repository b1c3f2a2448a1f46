import { z } from 'zod';

/**
 * Schemas of `GET /node_replacements` (newer servers, announced by the `node_replacements` feature
 * flag): deprecated classes and what replaces them when they are not installed. The server
 * rewrites such nodes before it validates a prompt (docs/protocol.md §8.1).
 */

/**
 * One input of the new node: `old_id` carries the old node's input over, `set_value` sets a
 * constant (when both are present, `set_value` wins, as the server checks it first).
 */
export const NodeReplacementInput = z.looseObject({
  new_id: z.string(),
  old_id: z.string().optional(),
  set_value: z.unknown().optional(),
});
export type NodeReplacementInput = z.infer<typeof NodeReplacementInput>;

/** A link to the old node's output `old_idx` now comes from the new node's output `new_idx`. */
export const NodeReplacementOutput = z.looseObject({ new_idx: z.number().int(), old_idx: z.number().int() });
export type NodeReplacementOutput = z.infer<typeof NodeReplacementOutput>;

/** One replacement: `null` mappings carry nothing over (the new node gets no inputs, links keep their slots). */
export const NodeReplacement = z.looseObject({
  new_node_id: z.string(),
  old_node_id: z.string(),
  /** The old node's widget inputs by position in a UI workflow's `widgets_values` (control slots included). */
  old_widget_ids: z.array(z.string()).nullish(),
  input_mapping: z.array(NodeReplacementInput).nullish(),
  output_mapping: z.array(NodeReplacementOutput).nullish(),
});
export type NodeReplacement = z.infer<typeof NodeReplacement>;

/** `GET /node_replacements`: old class -> its replacements (the server applies the first). */
export const NodeReplacementTable = z.record(z.string(), z.array(NodeReplacement));
export type NodeReplacementTable = z.infer<typeof NodeReplacementTable>;
