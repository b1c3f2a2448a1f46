import { isUiWorkflow } from './convert/isUiWorkflow';
import { uiNodeTypes } from './convert/uiNodeTypes';

/**
 * The node classes a workflow (API format) uses, each once, in first-seen order. Nodes without a
 * string `class_type` are skipped: the client's own validation reports them when the prompt runs.
 * @example requiredClassTypes({ '1': { class_type: 'EmptyImage', inputs: {} } }) // ['EmptyImage']
 */
export function requiredClassTypes(workflow: unknown): readonly string[] {
  if (isUiWorkflow(workflow)) return uiNodeTypes(workflow); // UI format: converted on the server chosen, with its /object_info
  if (typeof workflow !== 'object' || workflow === null) return [];
  const seen = new Set<string>();
  for (const node of Object.values(workflow)) {
    const classType: unknown = typeof node === 'object' && node !== null ? (node as { class_type?: unknown }).class_type : undefined;
    if (typeof classType === 'string' && classType.length > 0) seen.add(classType);
  }
  return [...seen];
}
