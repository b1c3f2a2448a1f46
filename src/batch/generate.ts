import { type Observable, type SchedulerLike, asyncScheduler, defer, switchMap } from 'rxjs';
import { z } from 'zod';
import type { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { saveOutputs } from '../outputs/saveOutputs';
import { ON_EXISTING, type OnExisting } from '../outputs/writeFileAtomically';
import { Workflow } from '../protocol/api';
import type { RunOptions } from '../prompt/runPrompt';
import { formatIssues } from '../util/formatIssues';
import { isPlainObject } from '../util/isPlainObject';
import type { BatchEvent, BatchItem } from './batchEvents';
import { type BatchTarget, type BatchTargetSource, isBatchClient, isBatchTarget, isBatchTargetSource, toBatchTarget } from './batchTarget';
import { detectStrategy } from './detectStrategy';
import { DEFAULT_FILE_PATTERN, INPUT_FILE_PATTERN, compileFilePattern } from './fileNamePattern';
import { checkInputPath, readInput } from './inputPath';
import { type BatchInput, type BatchPlan, runBatch } from './runBatch';
import { type SeedPolicy, seedSequence } from './seeds';
import { LOAD_IMAGE_PLACES, LOCATION_KEYS, type LocationKey, type Locations, type PathOverrides, type Strategy } from './strategy';
import { batchInputs } from './batchInputs';
import { ComfyLocateError } from './comfyLocateError';
import { findPositiveText } from './findPositiveText';
import type { InputValue } from '../inputs/resolveInputs';
import { isFunction } from '../util/isFunction';
import type { SameShape } from '../util/sameShape';
import { withEmbeddedWorkflow } from '../workflow/embedded/withEmbeddedWorkflow';
import { isUiWorkflow } from '../workflow/convert/isUiWorkflow';
import { resolveTitlePaths } from './resolveTitlePaths';


export type { BatchTargetSource } from './batchTarget';

/** An API-format workflow (checked by the protocol schema, its issues reported as they are) or a UI-format one (checked when converted). */
const Template = z.custom<Workflow | Record<string, unknown>>(() => true).superRefine((value, ctx) => {
  if (isUiWorkflow(value)) return;
  const checked = Workflow.safeParse(value);
  if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue, input: undefined } as Parameters<typeof ctx.addIssue>[0]);
});

const InputPathOption = z.string().regex(/^.+\.inputs\.[^.]+$/, "expected a path like '6.inputs.text'");
const PathOption = z.union([InputPathOption, z.array(InputPathOption).min(1)]);

/** Options of {@link generate}, checked at call time (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface GenerateOptions {
  /** Where the prompts run: a `ComfyClient`, a `ComfyPool` (anything with `asBatchTarget()`), or a {@link BatchTarget}. */
  readonly target: ComfyClient | BatchTarget | BatchTargetSource;
  /**
   * The template, in ComfyUI API format or as the editor saves it (a UI workflow is converted by
   * the target with its server's `/object_info`; its outputs embed it). Never mutated.
   */
  readonly workflow: Workflow | Record<string, unknown>;
  /** One prompt (or `perDescription` prompts) per description; at least one when given. */
  readonly descriptions?: readonly string[];
  /**
   * Input files (image strategies): a list (paths, http(s) URLs, bytes, Blobs, `inputFile`
   * handles, `UploadedFile`s) or a folder (`{ dir }`: its pictures, videos and sounds, sorted by
   * name; `extensions` like `'.png'` narrow it). One item per input (times the descriptions, when
   * given), each input placed on the server that runs its item (once per server).
   */
  readonly inputs?: readonly InputValue[] | { readonly dir: string; readonly extensions?: readonly string[] };
  /** Images (or videos) per description (per input, without descriptions). Default 1. */
  readonly perDescription?: number;
  /** How the template is filled. Default: `text2video()` for video graphs, `text2image()` otherwise. */
  readonly strategy?: Strategy;
  /** Explicit input paths (`'6.inputs.text'`, `'3.inputs.seed'`, or by node title: `'Positive Prompt.inputs.text'`); they win over the strategy's search. */
  readonly paths?: PathOverrides;
  /** Seed policy. Default `{ policy: 'random' }`. */
  readonly seed?: SeedPolicy;
  /** Save the outputs of each item here. Absent: nothing is downloaded. */
  readonly out?: {
    readonly dir: string;
    /** Local file name; tokens `{n} {d} {i} {k} {seed} {name} {ext} {node} {slug}`. Default `{d}-{i}-{seed}-{name}`. */
    readonly pattern?: string;
    /** Default `'rename'`. */
    readonly onExisting?: OnExisting;
    /** Also download temp previews. */
    readonly includeTemp?: boolean;
  };
  /**
   * Stop at the first failed item (the rest are skipped): `true`, or a test of the failure (e.g.
   * stop when the server rejected the prompt: the template is wrong, every item would be
   * rejected). Default false: report and go on.
   */
  readonly stopOnError?: boolean | ((error: Error, item: BatchItem) => boolean);
  /**
   * Items in flight at once. Default 1: one after another (a `concatMap`), the usual choice for
   * one server. A pool of servers runs several at a time (`pool.generate` uses its capacity).
   */
  readonly concurrency?: number;
  /** Passed to every item's `run` (except `promptId`: each item gets its own). */
  readonly runOptions?: RunOptions;
  /** Clock of the elapsed times (virtual time in tests). */
  readonly scheduler?: SchedulerLike;
}

/** Validates {@link GenerateOptions}. */
const GenerateOptionsSchema = z
  .object({
    target: z.custom<ComfyClient | BatchTarget | BatchTargetSource>(
      (value) => isBatchTargetSource(value) || isBatchTarget(value) || isBatchClient(value),
      'expected a ComfyClient, a ComfyPool or a BatchTarget',
    ),
    workflow: Template,
    descriptions: z.array(z.string()).min(1, 'at least one description is needed').optional(),
    inputs: z
      .union([
        z.array(z.custom<InputValue>((value) => value !== undefined && value !== null, 'expected an input file')).min(1, 'at least one input is needed'),
        z.object({ dir: z.string().min(1), extensions: z.array(z.string().regex(/^\.[^./\\]+$/, "an extension like '.png'")).min(1).optional() }).strict(),
      ])
      .optional(),
    perDescription: z.number().int().positive().max(100_000).optional(),
    strategy: z
      .custom<Strategy>((value) => typeof (value as Strategy | undefined)?.locate === 'function' && typeof (value as Strategy).name === 'string', 'expected a Strategy ({ name, locate })')
      .optional(),
    paths: z
      .object({
        text: PathOption.optional(),
        seed: PathOption.optional(),
        width: PathOption.optional(),
        height: PathOption.optional(),
        length: PathOption.optional(),
        batchSize: PathOption.optional(),
        steps: PathOption.optional(),
        filenamePrefix: PathOption.optional(),
        image: PathOption.optional(),
      } satisfies Record<LocationKey, unknown>)
      .strict()
      .optional(),
    seed: z
      .object({
        policy: z.enum(['random', 'fixed', 'increment']),
        value: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
      })
      .strict()
      .optional(),
    out: z
      .object({
        dir: z.string().min(1),
        pattern: z.string().min(1).optional(),
        onExisting: z.enum(ON_EXISTING).optional(),
        includeTemp: z.boolean().optional(),
      })
      .strict()
      .optional(),
    stopOnError: z.union([z.boolean(), z.custom<(error: Error, item: BatchItem) => boolean>(isFunction, 'expected a boolean or a function (error, item) => boolean')]).optional(),
    concurrency: z.number().int().min(1).optional(),
    runOptions: z
      .custom<RunOptions>(isPlainObject, 'expected an object of run options')
      .refine((options) => !('promptId' in options), 'promptId cannot be shared by the items of a batch')
      .optional(),
    scheduler: z.custom<SchedulerLike>((value) => isFunction((value as SchedulerLike | undefined)?.now), 'expected an RxJS scheduler').optional(),
  })
  .strict();
true satisfies SameShape<GenerateOptions, z.input<typeof GenerateOptionsSchema>>;

/**
 * Generates images (or videos) from text descriptions: for each description, `perDescription`
 * prompts made from the template (description, seed and settings written in by the strategy),
 * run one after another on ONE socket held for the whole batch, their outputs saved to
 * `out.dir`. Cold: subscribing starts the batch; unsubscribing cancels the running prompt and
 * skips the rest. See {@link BatchEvent} for what it emits.
 * ```ts
 * generate({ target: comfy, workflow, descriptions: ['a red fox', 'a lighthouse'], perDescription: 2, out: { dir: 'out' } })
 *   .subscribe((e) => e.type === 'item-start' && console.log(e.item.label));
 * ```
 * @throws ComfyOptionsError synchronously when an option is invalid (the message names it).
 * @throws ComfyLocateError synchronously when the strategy cannot find where the description or seed go.
 */
export function generate(options: GenerateOptions): Observable<BatchEvent> {
  const parsed = GenerateOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ComfyOptionsError(`Invalid generate options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  const opts = parsed.data;
  const target = toBatchTarget(opts.target);
  if (!isUiWorkflow(opts.workflow)) return runBatch(planBatch(opts, target, opts.workflow as Workflow, opts.runOptions ?? {}));
  const convert = target.toApiPrompt;
  if (!convert) throw new ComfyOptionsError('generate: a UI-format template needs a target that converts it (a ComfyClient, a ComfyPool, or a BatchTarget with toApiPrompt)');
  const ui = opts.workflow;
  return defer(() => convert(ui)).pipe(switchMap(({ prompt }) => runBatch(planBatch(opts, target, prompt, withEmbeddedWorkflow(opts.runOptions ?? {}, ui)))));
}

/**
 * What the batch runs over must fit the template: descriptions need a text to go to; inputs need a
 * Load node; without inputs, an image strategy has nothing to do; without either, nothing runs.
 */
function checkBatchShape(strategy: Strategy, template: Workflow, locations: Locations, descriptions: readonly string[] | undefined, inputs: readonly BatchInput[] | undefined): void {
  const graph = Object.entries(template).map(([id, node]) => `${id}: ${node.class_type}`);
  if (!descriptions && !inputs) throw new ComfyOptionsError('Invalid generate options: descriptions: at least one description is needed (or inputs, for an image strategy)');
  if (descriptions && locations.text.length === 0) {
    const search = findPositiveText(template);
    throw new ComfyLocateError(strategy.name, [{ key: 'text', lookedFor: search.lookedFor, notes: ['descriptions were given, but the template has no prompt text for them', ...search.notes] }], graph);
  }
  if (inputs && locations.image.length === 0) {
    const lookedFor = LOAD_IMAGE_PLACES.map(([classType, input]) => `${classType}.${input}`);
    throw new ComfyLocateError(strategy.name, [{ key: 'image', lookedFor, notes: [`inputs were given, but ${strategy.name} puts none in this template (use image2image or image2video, or paths.image)`] }], graph);
  }
  if (!inputs && locations.image.length > 0 && (strategy.name === 'image2image' || strategy.name === 'image2video')) {
    throw new ComfyOptionsError(`Invalid generate options: inputs: ${strategy.name} runs over input files (a list or { dir })`);
  }
}

/** The plan of a batch over an API-format template (the strategy locates its inputs here: `ComfyLocateError`). */
function planBatch(opts: z.output<typeof GenerateOptionsSchema>, target: BatchTarget, workflow: Workflow, runOptions: RunOptions): BatchPlan {
  const template = structuredClone(workflow);
  const inputs = opts.inputs === undefined ? undefined : batchInputs(opts.inputs);
  const strategy = opts.strategy ?? detectStrategy(template, inputs !== undefined);
  const locations = strategy.locate(template, opts.paths && resolveTitlePaths(template, opts.paths));
  for (const key of LOCATION_KEYS) locations[key].forEach((path, i) => checkInputPath(template, path, `${strategy.name} location ${key}[${i}]`));
  checkBatchShape(strategy, template, locations, opts.descriptions, inputs);
  const firstSeed = locations.seed[0] === undefined ? undefined : readInput(template, locations.seed[0]);
  const seedFor = seedSequence(opts.seed ?? { policy: 'random' }, typeof firstSeed === 'number' ? firstSeed : undefined);
  const out = opts.out;
  const fileName = out ? compileFilePattern(out.pattern ?? (inputs ? INPUT_FILE_PATTERN : DEFAULT_FILE_PATTERN)) : undefined;
  return {
    target,
    template,
    locations,
    settings: strategy.settings ?? {},
    descriptions: opts.descriptions ?? [],
    perDescription: opts.perDescription ?? 1,
    ...(inputs ? { inputs } : {}),
    seedFor,
    noun: strategy.noun ?? 'image',
    save:
      out && fileName
        ? (done, item) =>
            saveOutputs(target.httpFor(done), done.outputs, {
              dir: out.dir,
              fileName: (file, index) => fileName(item, file, index),
              onExisting: out.onExisting,
              includeTemp: out.includeTemp,
            })
        : undefined,
    stopOnError: opts.stopOnError ?? false,
    concurrency: opts.concurrency ?? 1,
    runOptions,
    scheduler: opts.scheduler ?? asyncScheduler,
  };
}
