import type { CliContext } from '../CliContext';
import type { ExitCode } from '../exitCodes';
import { openClient } from '../openClient';
import { readWorkflowFile } from '../readWorkflowFile';
import { repeatRun } from '../repeatRun';
import { runJobCommand } from '../runJobCommand';
import { type SetAssignment, applySetAssignments } from '../setAssignment';

/** Options of `comfyui-rx run`. */
export interface RunCommandOptions {
  readonly set: readonly SetAssignment[];
  readonly count: number;
  readonly out: string;
  readonly timeoutMs?: number;
}

/** `comfyui-rx run <workflow.json>`: runs a workflow (`--count` times), saving its outputs. */
export async function runCommand(ctx: CliContext, file: string, options: RunCommandOptions): Promise<ExitCode> {
  const workflow = applySetAssignments(readWorkflowFile(file), options.set);
  const target = await openClient(ctx, { timeoutMs: options.timeoutMs });
  return runJobCommand(ctx, {
    target,
    workflow,
    outDir: options.out,
    events$: repeatRun(target.client, workflow, { count: options.count, outDir: options.out }),
  });
}
