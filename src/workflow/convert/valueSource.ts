import type { GraphNode } from './graph';

/**
 * Where a literal the prompt sends lives in the UI workflow: `node`'s `widgets_values[slot]` (a
 * position, or a key for object-form values), and `name` in its `widgets_values_named` when the
 * node is the widget's own. Recorded when asked (`PromptSources`) so that a run's values can be
 * written back into the workflow it embeds (docs/conversion.md, "Files that reproduce their runs").
 */
export interface ValueSource {
  readonly node: GraphNode;
  readonly slot: number | string;
  readonly name?: string;
}

/** Execution id -> input name -> where its literal came from (inputs without one: a link, or a value with no place in the file). */
export type PromptSources = Map<string, Map<string, ValueSource>>;
