import type { Observable } from 'rxjs';
import type { BatchEvent, BatchItem } from '../batch';
import type { CliContext } from './CliContext';
import { createRenderer } from './createRenderer';
import { ExitCode } from './exitCodes';
import { exitCodeOfFailures } from './exitCodeOf';
import type { CliTarget } from './openClient';
import { renderJob } from './renderJob';
import { unsavedOutputs } from './unsavedOutputs';

/** What a job command needs to draw its job. */
export interface JobCommand {
  readonly target: CliTarget;
  readonly events$: Observable<BatchEvent>;
  /** The label people see for an item (default: the batch's). */
  readonly labelOf?: (item: BatchItem) => string;
  /** `--include-temp`: temp files are saved; without it they are reported as not saved. */
  readonly includeTemp?: boolean;
  /** The workflow the items run (node count for percentages). */
  readonly workflow: Readonly<Record<string, unknown>>;
  readonly outDir?: string;
  /** Lines shown before the job starts (e.g. "using an embedded fake server"). */
  readonly notices?: readonly string[];
}

/**
 * Runs a job with progress (bars, lines or JSON), then closes the target. Exit code: 0 when every
 * item succeeded, else from the failures (3 unreachable, 4 rejected, 1 other), 130 when Ctrl-C
 * stopped it (prompts in flight are cancelled on the server).
 */
export async function runJobCommand(ctx: CliContext, job: JobCommand): Promise<ExitCode> {
  const renderer = createRenderer(ctx, job.outDir);
  for (const notice of job.notices ?? []) renderer.notice(notice);
  try {
    const result = await renderJob(job.events$, renderer, {
      labelOf: job.labelOf,
      unsavedOf: (done) => unsavedOutputs(done.outputs, job.workflow, job.includeTemp ?? false),
      workflow: job.workflow, queueRemaining$: job.target.client.queueRemaining$, signal: ctx.signal });
    if (result.interrupted) {
      ctx.logger.warn('interrupted: the prompt in flight is being cancelled on the server');
      return ExitCode.interrupted;
    }
    return exitCodeOfFailures(result.failures.map((failure) => failure.error));
  } finally {
    await job.target.close();
  }
}
