import type { z } from 'zod';
import { Workflow } from './api';

/** What {@link parseWorkflow} answers: zod's `safeParse` result shape. */
export type WorkflowCheck = { readonly success: true; readonly data: Workflow } | { readonly success: false; readonly error: z.ZodError };

/**
 * `Workflow.safeParse` with a compiled fast path for the common case: a plain object of nodes, each
 * with a non-empty `class_type`, a plain-object `inputs` and an optional `_meta.title`. When that
 * guard passes, the workflow is valid by the schema (property-tested against it) and `data` is the
 * value itself, not a stripped copy (callers post the raw workflow anyway). Anything else, valid or
 * not, goes through the schema, which stays the one definition of a valid workflow (and words the
 * errors). A 2-node workflow: about 0.1 µs instead of 3-5 µs.
 * @example const checked = parseWorkflow(workflow); if (!checked.success) throw toValidationError(checked.error);
 */
export function parseWorkflow(value: unknown): WorkflowCheck {
  if (isPlainWorkflow(value)) return { success: true, data: value };
  return Workflow.safeParse(value);
}

function isPlainWorkflow(value: unknown): value is Workflow {
  if (!isPlainObject(value)) return false;
  let nodes = 0;
  for (const id in value) {
    if (!Object.prototype.hasOwnProperty.call(value, id)) return false; // inherited enumerable keys: let zod decide
    if (id.length === 0 || id === '__proto__') return false;
    if (!isNode((value as Record<string, unknown>)[id])) return false;
    nodes++;
  }
  return nodes > 0 && Object.getOwnPropertySymbols(value).length === 0;
}

function isNode(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const { class_type: classType, inputs, _meta: meta } = node as Record<string, unknown>;
  if (typeof classType !== 'string' || classType.length === 0) return false;
  if (!isPlainObject(inputs) || Object.getOwnPropertySymbols(inputs).length !== 0) return false;
  if (meta === undefined) return true;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return false;
  const title = (meta as Record<string, unknown>).title;
  return title === undefined || typeof title === 'string';
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
