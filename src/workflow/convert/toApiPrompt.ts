import type { ToApiPromptOptions } from './conversionContext';
import { isApiPrompt } from './isUiWorkflow';
import { runPasses } from './runPasses';
import type { ApiPrompt } from '../apiPrompt';
import type { ConversionWarning } from './warnings';

export type { ToApiPromptOptions } from './conversionContext';

export interface ToApiPromptResult {
  /** The API prompt the ComfyUI frontend would post for this workflow. */
  readonly prompt: ApiPrompt;
  /** What had to be guessed or could not be reproduced, per node. */
  readonly warnings: readonly ConversionWarning[];
}

/**
 * Converts a UI workflow (the editor's Save format) into the API prompt the ComfyUI frontend
 * would post, following docs/conversion.md §2: pure, no I/O. `objectInfo` is a `GET /object_info`
 * answer (or an `ObjectInfoIndex` of one; entries need only `input`, `input_order` and
 * `output`). An API prompt (a non-empty object whose every value has a string `class_type`, as
 * the frontend tells them apart) comes back as it is, without warnings. The passes:
 * 1. normalise (schemas 0.4 and 1, links in both forms, definitions collected, the frontend's
 *    fixed type renames, duplicate node ids renumbered as the editor does),
 * 2. classify nodes (virtual, instances, group nodes, classes, missing),
 * 3. refuse missing node types (`ComfyMissingNodeTypesError`, every one listed),
 * 4. rebuild each node's widgets from `/object_info` and map its values,
 * 5. flatten subgraph / group-node instances and resolve every input,
 * 6. emit the entries and drop links to nodes that are not in the prompt.
 * Malformed input throws `ComfyValidationError` (`errorType: 'invalid_workflow'`, path in `details`).
 * @example const { prompt, warnings } = toApiPrompt(JSON.parse(file), await comfy.objectInfo());
 */
export function toApiPrompt(uiWorkflow: unknown, objectInfo: unknown, options: ToApiPromptOptions = {}): ToApiPromptResult {
  if (isApiPrompt(uiWorkflow)) return { prompt: uiWorkflow as ApiPrompt, warnings: [] };
  const { prompt, warnings } = runPasses(uiWorkflow, objectInfo, options);
  return { prompt, warnings };
}
