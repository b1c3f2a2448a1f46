import { readFileSync } from 'node:fs';
import { type Workflow, Workflow as WorkflowSchema } from '../protocol/api';
import { formatIssues } from '../util/formatIssues';
import { CliUsageError } from './CliUsageError';

/**
 * Reads an API-format workflow (ComfyUI: Workflow > Export (API)) from a JSON file.
 * @throws CliUsageError when the file is missing, not JSON, a UI-format workflow, or not a workflow.
 */
export function readWorkflowFile(file: string): Workflow {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read workflow ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`workflow ${file} is not JSON: ${(err as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && Array.isArray((json as { nodes?: unknown }).nodes)) {
    throw new CliUsageError(`workflow ${file} is in the UI format; export it from ComfyUI with Workflow > Export (API)`);
  }
  const parsed = WorkflowSchema.safeParse(json);
  if (!parsed.success) throw new CliUsageError(`workflow ${file} is not an API-format workflow: ${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}
