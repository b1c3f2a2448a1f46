import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Observable, map } from 'rxjs';
import { type BatchEvent, type BatchItem, type Strategy, generate, text2image, text2video } from '../../batch';
import type { Workflow } from '../../protocol/api';
import type { CliContext } from '../CliContext';
import { CliUsageError } from '../CliUsageError';
import type { ExitCode } from '../exitCodes';
import type { JobEvent } from '../jobEvents';
import { type CliTarget, openClient } from '../openClient';
import { packageRoot } from '../packageRoot';
import { readDescriptions } from '../readDescriptions';
import { readWorkflowFile } from '../readWorkflowFile';
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

/** Reads the inputs of a batch (template, descriptions) before anything connects, so usage errors come first. */
export async function prepareGenerate(ctx: CliContext, options: GenerateCommandOptions): Promise<{ workflow: Workflow; descriptions: string[] }> {
  const file = options.workflow ?? shippedWorkflow(options.strategy);
  if (!options.workflow && !existsSync(file)) throw new CliUsageError(`the shipped ${options.strategy} workflow is missing (${file}); pass --workflow FILE`);
  const workflow = applySetAssignments(readWorkflowFile(file), options.set);
  strategyOf(options.strategy).locate(workflow, pathOverrides(options)); // ComfyLocateError before connecting
  const descriptions = await readDescriptions(options.descriptions, () => ctx.openStdin());
  return { workflow, descriptions };
}

/** The batch of a `generate` (or demo) on a target. */
export function batchEvents(target: CliTarget, workflow: Workflow, descriptions: readonly string[], options: GenerateCommandOptions): Observable<JobEvent> {
  const paths = pathOverrides(options);
  const noun = options.strategy === 'text2video' ? 'video' : 'image';
  return generate({
    target: target.client,
    workflow,
    descriptions: [...descriptions],
    perDescription: options.per,
    strategy: strategyOf(options.strategy),
    ...(Object.keys(paths).length ? { paths } : {}),
    seed: options.seed === undefined ? { policy: 'random' } : { policy: 'increment', value: options.seed },
    out: { dir: options.out, pattern: options.pattern ?? CLI_FILE_PATTERN },
  }).pipe(map((event) => withShortLabel(event, noun)));
}

/** `[3/8]`, plus `image 2/4` when there are several per description (the description itself is shown at item start). */
export function shortLabel(item: BatchItem, noun: string): string {
  return `[${item.index + 1}/${item.total}]${item.perDescription > 1 ? ` ${noun} ${item.imageIndex + 1}/${item.perDescription}` : ''}`;
}

const withShortLabel = (event: BatchEvent, noun: string): JobEvent => (event.type === 'summary' ? event : { ...event, item: { ...event.item, label: shortLabel(event.item, noun) } });

/** `comfyui-rx generate`: a batch of images (or videos) from text descriptions. */
export async function generateCommand(ctx: CliContext, options: GenerateCommandOptions): Promise<ExitCode> {
  const { workflow, descriptions } = await prepareGenerate(ctx, options);
  const target = await openClient(ctx, { timeoutMs: options.timeoutMs });
  let events$: Observable<JobEvent>;
  try {
    events$ = batchEvents(target, workflow, descriptions, options);
  } catch (err) {
    await target.close();
    throw err;
  }
  return runJobCommand(ctx, { target, workflow, outDir: options.out, events$ });
}
