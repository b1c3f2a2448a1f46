import { isPlainObject } from '../../util/isPlainObject';

/**
 * True for a workflow in the editor's Save format (an object with a `nodes` list), false for an API
 * prompt (every top-level value an object with `class_type`, docs/conversion.md §1.2) and anything else.
 * A cheap shape test: `toApiPrompt` validates the rest.
 * @example if (isUiWorkflow(json)) ({ prompt } = toApiPrompt(json, objectInfo));
 */
export function isUiWorkflow(value: unknown): value is { nodes: unknown[] } {
  if (!isPlainObject(value) || !Array.isArray(value.nodes)) return false;
  const links = value.links;
  return links === undefined || links === null || Array.isArray(links);
}

/** True for an API prompt: a non-empty object whose every value is an object with a string `class_type`. */
export function isApiPrompt(value: unknown): value is Record<string, { class_type: string }> {
  if (!isPlainObject(value)) return false;
  const entries = Object.values(value);
  return entries.length > 0 && entries.every((entry) => isPlainObject(entry) && typeof entry.class_type === 'string');
}
