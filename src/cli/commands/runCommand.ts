import { clientTarget } from '../../batch/batchTarget';
import { repeatWorkflow } from '../../batch/repeatWorkflow';
import { saveOutputs } from '../../outputs';
import type { Workflow } from '../../protocol/api';
import type { RunOptions } from '../../prompt/runPrompt';
import type { CliContext } from '../CliContext';
import { apiPromptOf } from '../convertForCli';
import type { ExitCode } from '../exitCodes';
import { openClient } from '../openClient';
import { readWorkflowFile } from '../readWorkflowFile';
import { rejectedWorkflow } from '../rejectedWorkflow';
import { runJobCommand } from '../runJobCommand';
import { checkSetFiles } from '../checkSetFiles';
import { type SetAssignment, inputsOption, splitSetAssignments } from '../setAssignment';

/** Options of `comfyui-rx run`. */
export interface RunCommandOptions {
  readonly set: readonly SetAssignment[];
  readonly count: number;
  readonly out: string;
  /** Also save temp files (PreviewImage); without it they are reported as not saved. */
  readonly includeTemp?: boolean;
  readonly timeoutMs?: number;
}

/**
 * `comfyui-rx run <file>`: runs a workflow (`--count` times: a batch, see {@link repeatWorkflow}), saving its outputs. The file is an
 * API-format or UI-format `.json`, or an output file with its workflow embedded: its first run makes
 * the prompt that made the file (the files a run saves carry the values it used, `--set` and seeds
 * included), later runs get new seeds. API workflows are checked (`--set` included) before connecting; UI workflows are
 * converted with the server's `/object_info` first. `--set NODE.inputs.NAME=@FILE` (or `=@URL`)
 * uploads that file to the server (once, however many runs) and sets its stored name.
 */
export async function runCommand(ctx: CliContext, file: string, options: RunCommandOptions): Promise<ExitCode> {
  const read = await readWorkflowFile(file);
  checkSetFiles(options.set);
  const checked = read.format === 'api' ? splitSetAssignments(read.workflow, options.set) : undefined;
  const target = await openClient(ctx, { timeoutMs: options.timeoutMs });
  let workflow: Workflow;
  let runOptions: RunOptions = {};
  try {
    if (checked) {
      workflow = checked.workflow;
      runOptions = inputsOption(checked.inputs);
    } else {
      const converted = await apiPromptOf(ctx, target.client, read);
      const split = splitSetAssignments(converted.workflow, options.set);
      workflow = split.workflow;
      runOptions = { ...converted.runOptions, ...inputsOption(split.inputs) };
    }
  } catch (err) {
    await target.close();
    throw err;
  }
  const { client } = target;
  return runJobCommand(ctx, {
    target,
    workflow,
    outDir: options.out,
    labelOf: (item) => `[${item.index + 1}/${item.total}]`,
    includeTemp: options.includeTemp ?? false,
    events$: repeatWorkflow({
      target: clientTarget(client),
      workflow,
      count: options.count,
      save: (done) => saveOutputs(client.http, done.outputs, { dir: options.out, includeTemp: options.includeTemp ?? false }),
      runOptions,
      stopOnError: rejectedWorkflow,
    }),
  });
}
