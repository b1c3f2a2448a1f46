import type { z } from 'zod';
import { ComfyValidationError } from '../../errors';
import { formatIssues } from '../../util/formatIssues';

/**
 * The error of a UI workflow that cannot be converted: `errorType: 'invalid_workflow'`, the path
 * of the offending part in `details` (`nodes.3.inputs.0.link`), and, when the node is known, an
 * entry in `nodeErrors` under its execution id.
 */
export function invalidWorkflow(path: string, problem: string, nodeId?: string, issues: z.core.$ZodIssue[] = []): ComfyValidationError {
  const nodeErrors = nodeId === undefined ? {} : { [nodeId]: { errors: [{ type: 'invalid_workflow', message: problem }] } };
  return new ComfyValidationError(`Invalid UI workflow at ${path || '(root)'}: ${problem}`, 'invalid_workflow', nodeErrors, path, issues);
}

/** Zod issues of the part at `base` as one `invalid_workflow` error naming the first path. */
export function invalidWorkflowShape(base: string, issues: z.core.$ZodIssue[]): ComfyValidationError {
  const first = issues[0];
  const path = [base, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
  const prefixed = issues.map((issue) => ({ ...issue, path: [...(base ? base.split('.') : []), ...issue.path] }));
  return invalidWorkflow(path, formatIssues(issues), undefined, prefixed);
}
