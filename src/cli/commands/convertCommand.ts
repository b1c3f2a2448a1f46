import { readFile } from 'node:fs/promises';
import { ComfyProtocolError } from '../../errors';
import { toApiPrompt } from '../../workflow/convert/toApiPrompt';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import { apiPromptOf, asUsageError, logWarnings } from '../convertForCli';
import { ExitCode } from '../exitCodes';
import { openClient } from '../openClient';
import { readWorkflowFile } from '../readWorkflowFile';

/** Options of `comfyui-rx convert`. */
export interface ConvertCommandOptions {
  /** A saved `GET /object_info` answer; without it the server (`--url`, `COMFYUI_URL`) is asked. */
  readonly objectInfoFile?: string;
}

/**
 * `comfyui-rx convert <file>`: prints the API prompt of a workflow (UI format, or an output file
 * carrying one) as JSON on stdout, conversion warnings on stderr. An API-format file is printed as
 * it is. Exit 4 names the node types the server lacks; 2 a file that is not a workflow.
 */
export async function convertCommand(ctx: CliContext, file: string, options: ConvertCommandOptions): Promise<ExitCode> {
  const read = await readWorkflowFile(file);
  if (read.format === 'api') {
    ctx.out(`${JSON.stringify(read.workflow, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (options.objectInfoFile) {
    const { prompt, warnings } = convertWithFile(read.workflow, await readObjectInfo(options.objectInfoFile), options.objectInfoFile);
    logWarnings(ctx, warnings);
    ctx.out(`${JSON.stringify(prompt, null, 2)}\n`);
    return ExitCode.ok;
  }
  const target = await openClient(ctx);
  try {
    const { workflow } = await apiPromptOf(ctx, target.client, read);
    ctx.out(`${JSON.stringify(workflow, null, 2)}\n`);
    return ExitCode.ok;
  } finally {
    target.client.close();
    await target.close();
  }
}

function convertWithFile(workflow: Record<string, unknown>, objectInfo: unknown, file: string) {
  try {
    return toApiPrompt(workflow, objectInfo);
  } catch (err) {
    if (err instanceof ComfyProtocolError) throw new CliUsageError(`--object-info ${file}: ${err.message}`, { cause: err });
    return asUsageError(err);
  }
}

async function readObjectInfo(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read --object-info ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`--object-info ${file} is not JSON: ${(err as Error).message}`);
  }
}
