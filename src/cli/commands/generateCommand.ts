import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Observable } from 'rxjs';
import { type BatchEvent, type BatchItem, type Strategy, generate, text2image, text2video } from '../../batch';
import type { Workflow } from '../../protocol/api';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import type { ExitCode } from '../exitCodes';
import { type CliTarget, openClient } from '../openClient';
import { packageRoot } from '../packageRoot';
import { rejectedWorkflow } from '../rejectedWorkflow';
import { readDescriptions } from '../readDescriptions';
import { type WorkflowFile, readWorkflowFile } from '../readWorkflowFile';
import { apiPromptOf } from '../convertForCli';
import type { RunOptions } from '../../prompt/runPrompt';
import { runJobCommand } from '../runJobCommand';
import { CLI_FILE_PATTERN, type StrategyName } from '../generateChoices';
import { type SetAssignment, applySetAssignments } from '../setAssignment';



/** Options of `comfyui-rx generate` (and of the demo). */
export interface GenerateCommandOptions {
  readonly strategy: StrategyName;
  /** A file of descriptions, or `-` for stdin. */
  readonly descriptions: string;
  readonly per: number;
  /** Template file; default: the one shipped for the strategy. */
  readonly workflow?: string;
  readonly out: string;
  readonly set: readonly SetAssignment[];
  /** Base seed (incremented per item); default random seeds. */
  readonly seed?: number;
  readonly pattern?: string;
  readonly textPath?: string;
  readonly seedPath?: string;
  readonly timeoutMs?: number;
  /** Also save temp files (PreviewImage); without it they are reported as not saved. */
  readonly includeTemp?: boolean;
}

/** The template shipped with the package for a strategy (`examples/workflows/<strategy>.json`), whatever the cwd. */
export function shippedWorkflow(strategy: StrategyName): string {
  return path.join(packageRoot(), 'examples', 'workflows', `${strategy}.json`);
}

const pathOverrides = (options: GenerateCommandOptions): { text?: string; seed?: string } => ({
  ...(options.textPath ? { text: options.textPath } : {}),
  ...(options.seedPath ? { seed: options.seedPath } : {}),
});

const strategyOf = (name: StrategyName): Strategy => (name === 'text2video' ? text2video() : text2image());

/** The template file of a batch (the one shipped for the strategy by default), read in either format. */
export async function readTemplateFile(options: GenerateCommandOptions): Promise<WorkflowFile> {
  const file = options.workflow ?? shippedWorkflow(options.strategy);
  if (!options.workflow && !existsSync(file)) throw new CliUsageError(`the shipped ${options.strategy} workflow is missing (${file}); pass --workflow FILE`);
  return readWorkflowFile(file);
}

/** The template with `--set` applied, checked to have what the strategy fills in (`ComfyLocateError` otherwise). */
export function checkTemplate(workflow: Workflow, options: GenerateCommandOptions): Workflow {
  const checked = applySetAssignments(workflow, options.set);
  strategyOf(options.strategy).locate(checked, pathOverrides(options));
  return checked;
}

/** Reads the inputs of a batch (an API-format template, descriptions) before anything connects, so usage errors come first. */
export async function prepareGenerate(ctx: CliContext, options: GenerateCommandOptions): Promise<{ workflow: Workflow; descriptions: string[] }> {
  const read = await readTemplateFile(options);
  if (read.format !== 'api') throw new CliUsageError('this template is a UI workflow: it needs a server to be converted (use generate)');
  const workflow = checkTemplate(read.workflow, options);
  const descriptions = await readDescriptions(options.descriptions, () => ctx.openStdin());
  return { workflow, descriptions };
}

/** The batch of a `generate` (or demo) on a target. */
export function batchEvents(target: CliTarget, workflow: Workflow, descriptions: readonly string[], options: GenerateCommandOptions, runOptions: RunOptions = {}): Observable<BatchEvent> {
  const paths = pathOverrides(options);
  return generate({
    target: target.client,
    workflow,
    descriptions: [...descriptions],
    perDescription: options.per,
    strategy: strategyOf(options.strategy),
    ...(Object.keys(paths).length ? { paths } : {}),
    seed: options.seed === undefined ? { policy: 'random' } : { policy: 'increment', value: options.seed },
    out: { dir: options.out, pattern: options.pattern ?? CLI_FILE_PATTERN, includeTemp: options.includeTemp ?? false },
    stopOnError: rejectedWorkflow,
    ...(Object.keys(runOptions).length ? { runOptions } : {}),
  });
}

/** The CLI's label of a `generate` item: see {@link shortLabel}. */
export const generateLabel =
  (options: Pick<GenerateCommandOptions, 'strategy'>) =>
  (item: BatchItem): string =>
    shortLabel(item, options.strategy === 'text2video' ? 'video' : 'image');

/** `[3/8]`, plus `image 2/4` when there are several per description (the description itself is shown at item start). */
export function shortLabel(item: BatchItem, noun: string): string {
  return `[${item.index + 1}/${item.total}]${item.perDescription > 1 ? ` ${noun} ${item.imageIndex + 1}/${item.perDescription}` : ''}`;
}


/**
 * `comfyui-rx generate`: a batch of images (or videos) from text descriptions. An API-format
 * template is checked before connecting; a UI-format one is converted with the server's
 * `/object_info`, then checked.
 */
export async function generateCommand(ctx: CliContext, options: GenerateCommandOptions): Promise<ExitCode> {
  const read = await readTemplateFile(options);
  const checked = read.format === 'api' ? checkTemplate(read.workflow, options) : undefined;
  const descriptions = await readDescriptions(options.descriptions, () => ctx.openStdin());
  const target = await openClient(ctx, { timeoutMs: options.timeoutMs });
  let workflow: Workflow;
  let events$: Observable<BatchEvent>;
  try {
    let runOptions: RunOptions = {};
    if (checked) workflow = checked;
    else {
      const converted = await apiPromptOf(ctx, target.client, read);
      workflow = checkTemplate(converted.workflow, options);
      runOptions = converted.runOptions;
    }
    events$ = batchEvents(target, workflow, descriptions, options, runOptions);
  } catch (err) {
    await target.close();
    throw err;
  }
  return runJobCommand(ctx, { target, workflow, outDir: options.out, events$, labelOf: generateLabel(options), includeTemp: options.includeTemp ?? false });
}
