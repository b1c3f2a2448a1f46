import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Observable } from 'rxjs';
import { type BatchEvent, type BatchItem, type Strategy, generate, image2image, image2video, inputsInFolder, text2image, text2video } from '../../batch';
import { isHttpUrl } from '../../inputs/inputSource';
import type { InputsOption } from '../../inputs/resolveInputs';
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
import { CLI_FILE_PATTERN, CLI_INPUT_FILE_PATTERN, type StrategyName } from '../generateChoices';
import { type SetAssignment, inputsOption, splitSetAssignments } from '../setAssignment';
import { checkSetFiles } from '../checkSetFiles';



/** Options of `comfyui-rx generate` (and of the demo). */
export interface GenerateCommandOptions {
  readonly strategy: StrategyName;
  /** A file of descriptions, or `-` for stdin (optional with `inputs`). */
  readonly descriptions?: string;
  /** Input files of the image strategies: folders (their media files) and files or URLs. */
  readonly inputs?: readonly string[];
  /** Where the input goes, when the strategy cannot find the Load node (e.g. 10.inputs.image). */
  readonly imagePath?: string;
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

const pathOverrides = (options: GenerateCommandOptions): { text?: string; seed?: string; image?: string } => ({
  ...(options.textPath ? { text: options.textPath } : {}),
  ...(options.seedPath ? { seed: options.seedPath } : {}),
  ...(options.imagePath ? { image: options.imagePath } : {}),
});

const STRATEGY_OF: Readonly<Record<StrategyName, () => Strategy>> = { text2image, text2video, image2image, image2video };
const strategyOf = (name: StrategyName): Strategy => STRATEGY_OF[name]();
const isImageStrategy = (name: StrategyName): boolean => name === 'image2image' || name === 'image2video';

/**
 * The input files of `--inputs`: each folder's media files (sorted by name), files and URLs as
 * given. Checked before anything connects.
 * @throws CliUsageError for a missing path, an empty folder, inputs with a text strategy, or an image strategy without inputs.
 */
export function readInputs(options: GenerateCommandOptions): string[] | undefined {
  if (!options.inputs?.length) {
    if (isImageStrategy(options.strategy)) throw new CliUsageError(`--strategy ${options.strategy} runs over input files: give --inputs DIR or FILE...`);
    return undefined;
  }
  if (!isImageStrategy(options.strategy)) throw new CliUsageError(`--inputs needs an image strategy (--strategy image2image or image2video), not ${options.strategy}`);
  return options.inputs.flatMap((entry) => {
    if (isHttpUrl(entry)) return [entry];
    const stats = statSync(entry, { throwIfNoEntry: false });
    if (!stats) throw new CliUsageError(`--inputs ${entry}: no such file or folder`);
    if (!stats.isDirectory()) return [entry];
    try {
      return inputsInFolder({ dir: entry });
    } catch (error) {
      throw new CliUsageError(`--inputs ${entry}: ${(error as Error).message.replace(/^inputs: /, '')}`);
    }
  });
}

/** The template file of a batch (the one shipped for the strategy by default), read in either format. */
export async function readTemplateFile(options: GenerateCommandOptions): Promise<WorkflowFile> {
  const file = options.workflow ?? shippedWorkflow(options.strategy);
  if (!options.workflow && !existsSync(file)) throw new CliUsageError(`the shipped ${options.strategy} workflow is missing (${file}); pass --workflow FILE`);
  return readWorkflowFile(file);
}

/** The template with `--set` applied (its `@FILE` values as the `inputs` run option), checked to have what the strategy fills in (`ComfyLocateError` otherwise). */
export function checkTemplate(workflow: Workflow, options: GenerateCommandOptions): { workflow: Workflow; inputs: InputsOption } {
  const checked = splitSetAssignments(workflow, options.set);
  strategyOf(options.strategy).locate(checked.workflow, pathOverrides(options));
  return checked;
}

/** The descriptions of `--descriptions` (none without it: the template's text is kept). */
const readDescriptionsOf = (ctx: CliContext, options: GenerateCommandOptions): Promise<string[] | undefined> =>
  options.descriptions === undefined ? Promise.resolve(undefined) : readDescriptions(options.descriptions, () => ctx.openStdin());

/** Reads the inputs of a batch (an API-format template, descriptions) before anything connects, so usage errors come first. */
export async function prepareGenerate(ctx: CliContext, options: GenerateCommandOptions): Promise<{ workflow: Workflow; descriptions: string[] }> {
  const read = await readTemplateFile(options);
  if (read.format !== 'api') throw new CliUsageError('this template is a UI workflow: it needs a server to be converted (use generate)');
  const { workflow } = checkTemplate(read.workflow, options);
  const descriptions = (await readDescriptionsOf(ctx, options)) ?? [];
  return { workflow, descriptions };
}

/** The batch of a `generate` (or demo) on a target. */
export function batchEvents(target: CliTarget, workflow: Workflow, descriptions: readonly string[] | undefined, options: GenerateCommandOptions, runOptions: RunOptions = {}, inputs?: readonly string[]): Observable<BatchEvent> {
  const paths = pathOverrides(options);
  return generate({
    target: target.client,
    workflow,
    ...(descriptions?.length ? { descriptions: [...descriptions] } : {}),
    ...(inputs?.length ? { inputs: [...inputs] } : {}),
    perDescription: options.per,
    strategy: strategyOf(options.strategy),
    ...(Object.keys(paths).length ? { paths } : {}),
    seed: options.seed === undefined ? { policy: 'random' } : { policy: 'increment', value: options.seed },
    out: { dir: options.out, pattern: options.pattern ?? (inputs?.length ? CLI_INPUT_FILE_PATTERN : CLI_FILE_PATTERN), includeTemp: options.includeTemp ?? false },
    stopOnError: rejectedWorkflow,
    ...(Object.keys(runOptions).length ? { runOptions } : {}),
  });
}

/** The CLI's label of a `generate` item: see {@link shortLabel}. */
export const generateLabel =
  (options: Pick<GenerateCommandOptions, 'strategy'>) =>
  (item: BatchItem): string =>
    shortLabel(item, options.strategy === 'text2video' || options.strategy === 'image2video' ? 'video' : 'image');

/** `[3/8]`, plus the input's name with inputs, plus `image 2/4` when there are several per description (the description itself is shown at item start). */
export function shortLabel(item: BatchItem, noun: string): string {
  return `[${item.index + 1}/${item.total}]${item.input ? ` ${item.input.source}` : ''}${item.perDescription > 1 ? ` ${noun} ${item.imageIndex + 1}/${item.perDescription}` : ''}`;
}


/**
 * `comfyui-rx generate`: a batch of images (or videos) from text descriptions, or with an image
 * strategy over input files (`--inputs DIR|FILE...`, times the descriptions when given). An
 * API-format template is checked before connecting; a UI-format one is converted with the
 * server's `/object_info`, then checked.
 */
export async function generateCommand(ctx: CliContext, options: GenerateCommandOptions): Promise<ExitCode> {
  const inputs = readInputs(options);
  if (options.descriptions === undefined && !inputs) throw new CliUsageError('--descriptions FILE is needed (or --inputs with an image strategy)');
  checkSetFiles(options.set);
  const read = await readTemplateFile(options);
  const checked = read.format === 'api' ? checkTemplate(read.workflow, options) : undefined;
  const descriptions = await readDescriptionsOf(ctx, options);
  const target = await openClient(ctx, { timeoutMs: options.timeoutMs });
  let workflow: Workflow;
  let events$: Observable<BatchEvent>;
  try {
    let runOptions: RunOptions = {};
    if (checked) {
      workflow = checked.workflow;
      runOptions = inputsOption(checked.inputs);
    } else {
      const converted = await apiPromptOf(ctx, target.client, read);
      const split = checkTemplate(converted.workflow, options);
      workflow = split.workflow;
      runOptions = { ...converted.runOptions, ...inputsOption(split.inputs) };
    }
    events$ = batchEvents(target, workflow, descriptions, options, runOptions, inputs);
  } catch (err) {
    await target.close();
    throw err;
  }
  return runJobCommand(ctx, { target, workflow, outDir: options.out, events$, labelOf: generateLabel(options), includeTemp: options.includeTemp ?? false });
}
