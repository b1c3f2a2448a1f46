/** A JSON-style object: not null, not an array (what a workflow node, a run options bag or a JSON body must be). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
