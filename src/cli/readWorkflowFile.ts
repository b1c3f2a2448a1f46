import { open, readFile } from 'node:fs/promises';
import { ComfyMalformedFileError, ComfyNoWorkflowError } from '../errors';
import { type Workflow, Workflow as WorkflowSchema } from '../protocol/api';
import { formatIssues } from '../util/formatIssues';
import { readEmbeddedWorkflowFromFile } from '../workflow/embedded';
import { isUiWorkflow } from '../workflow/convert/isUiWorkflow';
import { rewrapListValues } from '../workflow/convert/rewrapListValues';
import { CliUsageError } from './CliUsageError';

/** A workflow file as read: the API format, or the editor's Save format (converted once a server answers). */
export type WorkflowFile =
  | { readonly format: 'api'; readonly workflow: Workflow; readonly embedded: boolean }
  | { readonly format: 'ui'; readonly workflow: Record<string, unknown>; readonly embedded: boolean };

/**
 * Reads a workflow: a `.json` in either format (ComfyUI: Workflow > Save, or Export (API)), or a
 * file ComfyUI wrote with its workflow embedded (PNG, WebP, MP4, WebM, FLAC, MP3, Opus): the
 * editor's workflow when the file has it, else the API prompt it ran (list values wrapped again).
 * Binary files are read by seeking, never whole.
 * @throws CliUsageError when the file is missing, not JSON, not a workflow, or carries none.
 */
export async function readWorkflowFile(file: string): Promise<WorkflowFile> {
  const first = await firstByte(file);
  if (first !== '{' && first !== '[') return readEmbedded(file);
  let json: unknown;
  try {
    json = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CliUsageError(`workflow ${file} is not JSON: ${(err as Error).message}`);
  }
  return classify(json, file, false);
}

function classify(json: unknown, file: string, embedded: boolean): WorkflowFile {
  if (isUiWorkflow(json)) return { format: 'ui', workflow: json as Record<string, unknown>, embedded };
  const parsed = WorkflowSchema.safeParse(json);
  if (!parsed.success) throw new CliUsageError(`workflow ${file} is neither a UI workflow (no "nodes" list) nor an API-format workflow: ${formatIssues(parsed.error.issues)}`);
  return { format: 'api', workflow: parsed.data, embedded };
}

async function readEmbedded(file: string): Promise<WorkflowFile> {
  try {
    const found = await readEmbeddedWorkflowFromFile(file);
    if (found.workflow) return classify(found.workflow, `${file} (embedded workflow)`, true);
    return classify(rewrapListValues(found.prompt ?? {}), `${file} (embedded prompt)`, true);
  } catch (err) {
    if (err instanceof ComfyNoWorkflowError || err instanceof ComfyMalformedFileError) throw new CliUsageError(`${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** The first non-blank character of the file (`{` for JSON), without reading the rest. */
async function firstByte(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new CliUsageError(`cannot read workflow ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  } finally {
    await handle.close();
  }
}
