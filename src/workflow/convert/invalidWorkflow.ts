import type { z } from 'zod';
import { ComfyInvalidUiWorkflowError } from '../../errors';
import { formatIssues } from '../../util/formatIssues';

/** The error of a UI workflow that cannot be converted, at `path`, on node `nodeId` when it is known. */
export function invalidWorkflow(path: string, problem: string, nodeId?: string, issues: z.core.$ZodIssue[] = []): ComfyInvalidUiWorkflowError {
  const nodeErrors = nodeId === undefined ? {} : { [nodeId]: { errors: [{ type: 'invalid_workflow', message: problem }] } };
  return new ComfyInvalidUiWorkflowError(`Invalid UI workflow at ${path || '(root)'}: ${problem}`, nodeErrors, path, issues);
}

/** Zod issues of the part at `base` as one `invalid_workflow` error naming the first path. */
export function invalidWorkflowShape(base: string, issues: z.core.$ZodIssue[]): ComfyInvalidUiWorkflowError {
  const first = issues[0];
  const path = [base, ...(first?.path ?? []).map(String)].filter(Boolean).join('.');
  const prefixed = issues.map((issue) => ({ ...issue, path: [...(base ? base.split('.') : []), ...issue.path] }));
  return invalidWorkflow(path, formatIssues(issues), undefined, prefixed);
}
