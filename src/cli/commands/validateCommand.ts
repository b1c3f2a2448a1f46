import { readFileSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { ComfyProtocolError } from '../../errors';
import type { PromptValidation, ServerNodeErrors } from '../../protocol/validation';
import { ObjectInfoIndex } from '../../workflow/objectInfoIndex';
import { toApiPrompt } from '../../workflow/convert/toApiPrompt';
import { validatePrompt } from '../../workflow/validate/validatePrompt';
import type { ConversionWarning } from '../../workflow/convert/warnings';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import { checkServer } from '../checkServer';
import { ExitCode } from '../exitCodes';
import { serverUrl } from '../serverUrl';
import { clientOptions } from '../clientOptions';

/** Options of `comfyui-rx validate`. */
export interface ValidateCommandOptions {
  /** A saved `/object_info` answer to validate against, instead of asking the server. */
  readonly objectInfo?: string;
  /** The ComfyUI version to answer as (`0.8.0`, `0.38.1`); default: what the server says, else 0.8.0. */
  readonly serverVersion?: string;
}

/** Reads and parses a JSON file; a missing or malformed file is a usage error. */
function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`${what} ${file} is not JSON: ${(err as Error).message}`);
  }
}

/** `node 3 (KSampler): value_not_in_list: sampler_name: 'x' not in [...]`, one line per reason. */
function nodeLines(nodeErrors: ServerNodeErrors): string[] {
  return Object.entries(nodeErrors).flatMap(([id, node]) =>
    node.errors.map((reason) => `  node ${id} (${node.class_type}): ${reason.type}: ${reason.message}${reason.details ? `: ${reason.details}` : ''}`),
  );
}

function report(file: string, answer: PromptValidation, warnings: readonly ConversionWarning[]): string {
  const converted = warnings.map((w) => `  conversion warning: node ${w.nodeId}${w.classType ? ` (${w.classType})` : ''}: ${w.message}`);
  if (answer.status === 200) {
    const dropped = Object.keys(answer.node_errors).length > 0 ? [`  some outputs would be dropped:`, ...nodeLines(answer.node_errors)] : [];
    return [`${file}: valid (outputs ${answer.outputs.join(', ')} would run)`, ...converted, ...dropped].join('\n');
  }
  const headline = answer.status === 500 ? `${file}: the server would fail on it (500): ${answer.error.message}` : `${file}: invalid: ${answer.error.type}: ${answer.error.message}`;
  const details = answer.error.details && Object.keys(answer.node_errors).length === 0 ? [`  ${answer.error.details}`] : [];
  return [headline, ...converted, ...details, ...nodeLines(answer.node_errors)].join('\n');
}

/**
 * `comfyui-rx validate FILE [--url URL | --object-info FILE] [--server-version V]`: the answer
 * ComfyUI would give to the workflow, offline (nothing is queued), as the server at `--url` answers
 * (its version and node replacements) or as version `V`; 0.8.0 for a saved `/object_info` without
 * `--server-version`. A UI-format file is converted first, as the editor would. Exit 0 when the
 * server would accept it, 4 when not.
 */
export async function validateCommand(ctx: CliContext, file: string, options: ValidateCommandOptions): Promise<ExitCode> {
  if (options.objectInfo !== undefined && ctx.urlFlag !== undefined) throw new CliUsageError('give either --url or --object-info, not both');
  const workflow = readJson(file, 'workflow');
  let index: ObjectInfoIndex;
  try {
    if (options.objectInfo !== undefined) index = ObjectInfoIndex.from(readJson(options.objectInfo, '/object_info file'));
    else {
      // the server's /object_info with what it tells about itself (version, flags, node replacements): answers as that server
      const client = new ComfyClient({ url: serverUrl(ctx.urlFlag, ctx.env).url, ...clientOptions(ctx), lingerMs: 0 });
      await checkServer(client, ctx.connectTimeoutMs);
      index = await firstValueFrom(client.objectInfo.index());
    }
  } catch (err) {
    if (!(err instanceof ComfyProtocolError)) throw err;
    throw new CliUsageError(`${options.objectInfo ?? '/object_info'} is not a /object_info answer: ${err.message}`);
  }
  if (options.serverVersion !== undefined) index = ObjectInfoIndex.from(index, { ...index.server, version: options.serverVersion });
  // a UI-format file converted as the editor would (its warnings kept); anything else as it is: the answer says what is wrong
  const { prompt, warnings } = toApiPrompt(workflow, index);
  const answer = validatePrompt(prompt, index);
  if (ctx.json) {
    const { status, node_errors } = answer;
    const body = answer.status === 200 ? { outputs: answer.outputs, node_errors } : { error: answer.error, node_errors };
    ctx.out(`${JSON.stringify({ type: 'validation', file, status, ...body, ...(warnings.length > 0 ? { warnings } : {}) })}\n`);
  } else {
    ctx.out(`${report(file, answer, warnings)}\n`);
  }
  return answer.status === 200 ? ExitCode.ok : ExitCode.rejected;
}
