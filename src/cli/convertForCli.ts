import { lastValueFrom } from 'rxjs';
import type { ComfyClient } from '../client';
import { withEmbeddedWorkflow } from '../workflow/embedded/withEmbeddedWorkflow';
import { ComfyInvalidUiWorkflowError } from '../errors';
import type { Workflow } from '../protocol/api';
import type { RunOptions } from '../prompt/runPrompt';
import type { ConversionWarning } from '../workflow/convert/warnings';
import type { CliContext } from './CliContext';
import { CliUsageError } from './CliUsageError';
import type { WorkflowFile } from './readWorkflowFile';

/**
 * The API prompt of a workflow file, the one place the CLI converts: the file's format was decided
 * once, when it was read ({@link WorkflowFile}); an API prompt is used as it is, a UI workflow is
 * converted by the client (`toApiPrompt`, with its `/object_info` cache), its warnings logged and
 * the UI workflow carried in `extra_pnginfo` of the run options (the outputs reopen in the
 * editor). A file that is not a convertible UI workflow is a usage error (exit 2); missing node
 * types stay a `ComfyMissingNodeTypesError` (exit 4).
 */
export async function apiPromptOf(ctx: CliContext, client: ComfyClient, file: WorkflowFile): Promise<{ workflow: Workflow; runOptions: RunOptions }> {
  if (file.format === 'api') return { workflow: file.workflow, runOptions: {} };
  const { prompt, warnings } = await lastValueFrom(client.toApiPrompt(file.workflow)).catch(asUsageError);
  logWarnings(ctx, warnings);
  return { workflow: prompt, runOptions: withEmbeddedWorkflow({}, file.workflow) };
}

/** A malformed UI workflow (`invalid_workflow`) is the user's file: exit 2, not a server rejection. */
export function asUsageError(error: unknown): never {
  if (error instanceof ComfyInvalidUiWorkflowError) throw new CliUsageError(error.message, { cause: error });
  throw error;
}

/** One warning line per conversion warning, on stderr (through the logger). */
export function logWarnings(ctx: CliContext, warnings: readonly ConversionWarning[]): void {
  for (const warning of warnings) ctx.logger.warn({ node: warning.nodeId, warning: warning.type }, `node ${warning.nodeId}: ${warning.message}`);
}
