import { isPlainObject } from '../util/isPlainObject';
import { type InputFile, isInputFile } from './inputFile';

/**
 * A copy of a JSON-like value (a UI workflow) with every {@link InputFile} found in `values`
 * replaced by its value; parts without handles are shared, not copied. Cycles are not followed.
 * @example replaceHandles(uiWorkflow, resolved.byHandle) // the workflow to embed in the outputs
 */
export function replaceHandles(value: unknown, values: ReadonlyMap<InputFile, string>, seen: Set<unknown> = new Set()): unknown {
  if (isInputFile(value)) return values.get(value) ?? value;
  if (typeof value !== 'object' || value === null || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const replaced = replaceHandles(item, values, seen);
      if (replaced !== item) (copy ??= [...value])[index] = replaced;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const replaced = replaceHandles(item, values, seen);
    if (replaced !== item) (copy ??= { ...value })[key] = replaced;
  }
  return copy ?? value;
}

/** Whether an {@link InputFile} stands anywhere in a JSON-like value (a UI workflow's widgets). */
export function containsInputFile(value: unknown, seen: Set<unknown> = new Set()): boolean {
  if (isInputFile(value)) return true;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  return items.some((item) => containsInputFile(item, seen));
}
