import {
  EMPTY,
  type Observable,
  type SchedulerLike,
  catchError,
  concat,
  concatMap,
  defer,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  range,
  startWith,
  takeWhile,
  tap,
  throwError,
} from 'rxjs';
import type { SavedFile } from '../outputs/saveOutputs';
import type { Workflow } from '../protocol/api';
import type { DoneEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import { type BatchEvent, type BatchItem, itemLabel } from './batchEvents';
import type { BatchTarget } from './batchTarget';
import { writeInput } from './inputPath';
import { type Locations, SETTING_KEYS, type StrategySettings } from './strategy';
import { toError } from '../util/toError';
import type { InputFile } from '../inputs/inputFile';

/** One input file of a batch: the value written into the Load node (a handle, placed on the server that runs the item, or a stored name) and its source for labels. */
export interface BatchInput {
  readonly value: InputFile | string;
  readonly source: string;
}

/** Everything {@link runBatch} needs, already validated (`generate` builds it from its options). */
export interface BatchPlan {
  readonly target: BatchTarget;
  /** The template; never mutated (each item works on a structured clone). */
  readonly template: Workflow;
  readonly locations: Locations;
  readonly settings: StrategySettings;
  /** Descriptions (empty: the template's own text is kept; only with inputs). */
  readonly descriptions: readonly string[];
  readonly perDescription: number;
  /** Input files: the batch runs over each (times the descriptions); their values go to `locations.image`. */
  readonly inputs?: readonly BatchInput[];
  /** Seed of the item at a batch index; called once per item, when the item starts. */
  readonly seedFor: (index: number) => number;
  /** The workflow an item runs. Default {@link itemWorkflow}: the template with the item's description, seed and settings written in. */
  readonly workflowOf?: (item: BatchItem) => Workflow;
  /** Word for an item in labels (`image`, `video`). */
  readonly noun: string;
  /** Saves a finished item's outputs; `undefined`: nothing is downloaded. */
  readonly save?: (done: DoneEvent, item: BatchItem) => Observable<SavedFile>;
  /** Stop at the first failed item (`true`), or at the first failure this test accepts. */
  readonly stopOnError: boolean | ((error: Error, item: BatchItem) => boolean);
  /** Items in flight at once (1: strictly one after another). */
  readonly concurrency: number;
  readonly runOptions: RunOptions;
  /** Clock of the elapsed times. */
  readonly scheduler: SchedulerLike;
}

/**
 * The batch: a `concatMap` over descriptions and, inside, over images per description, so item
 * n+1 is submitted only once item n has ended (done and saved, or failed). With `concurrency` > 1
 * (a pool of servers), up to that many items run at once, started in the same order. The target is held
 * (`hold()`) from subscription to the summary so no socket is closed between items. A failed item
 * is reported (`item-failed`) and the batch goes on, unless `stopOnError`. Unsubscribing cancels
 * the current item's prompt (its `run` cancels on unsubscribe) and starts no other.
 * ```text
 * hold:    ^-----------------!
 * item 1:  s-p-p-d-v-D
 * item 2:             s-p-F
 * result:  s-p-p-d-v-Ds-p-F(S|)      s item-start, p prompt, v saved, D item-done, F item-failed, S summary
 * ```
 */
export function runBatch(plan: BatchPlan): Observable<BatchEvent> {
  const { target, descriptions, perDescription, scheduler, stopOnError } = plan;
  return defer(() => {
    const startedAt = scheduler.now();
    const inputCount = Math.max(1, plan.inputs?.length ?? 0);
    const descriptionSlots = Math.max(1, descriptions.length);
    const total = inputCount * descriptionSlots * perDescription;
    let done = 0;
    let failed = 0;
    let files = 0;
    const perItemMs: number[] = [];
    let stopped = false;

    const run = ([inputIndex, descriptionIndex, imageIndex]: readonly [number | undefined, number, number]) =>
      defer(() => runItem(plan, makeItem(plan, inputIndex, descriptionIndex, imageIndex, total)));
    // inputs (or none), then descriptions (or the template's own text), then images per description
    const inputIndexes: ReadonlyArray<number | undefined> = plan.inputs?.length ? plan.inputs.map((_input, i) => i) : [undefined];
    const places$ = from(inputIndexes).pipe(
      concatMap((inputIndex) =>
        range(0, descriptionSlots).pipe(concatMap((descriptionIndex) => range(0, perDescription).pipe(map((imageIndex) => [inputIndex, descriptionIndex, imageIndex] as const)))),
      ),
    );
    const items$ = places$.pipe(
      plan.concurrency > 1 ? mergeMap(run, plan.concurrency) : concatMap(run),
      tap((event) => {
        if (event.type === 'saved') files++;
        else if (event.type === 'item-done') {
          done++;
          perItemMs.push(event.elapsedMs);
        } else if (event.type === 'item-failed') {
          failed++;
          perItemMs.push(event.elapsedMs);
          if (stopOnError === true || (stopOnError !== false && stopOnError(event.error, event.item))) stopped = true;
        }
      }),
      takeWhile(() => !stopped, true),
    );
    const summary$ = defer(() =>
      of<BatchEvent>({
        type: 'summary',
        summary: { total, done, failed, skipped: total - done - failed, stopped, elapsedMs: scheduler.now() - startedAt, perItemMs, files },
      }),
    );
    const hold$ = target.hold().pipe(
      ignoreElements(),
      catchError(() => EMPTY),
    );
    // hold first (it opens the socket), then the items; the summary ends the hold
    return merge(hold$, concat(items$, summary$)).pipe(takeWhile((event) => event.type !== 'summary', true));
  });
}

function makeItem(plan: BatchPlan, inputIndex: number | undefined, descriptionIndex: number, imageIndex: number, total: number): BatchItem {
  const descriptionSlots = Math.max(1, plan.descriptions.length);
  const index = ((inputIndex ?? 0) * descriptionSlots + descriptionIndex) * plan.perDescription + imageIndex;
  const input = inputIndex === undefined || !plan.inputs ? undefined : { index: inputIndex, total: plan.inputs.length, source: plan.inputs[inputIndex]?.source ?? '' };
  const place = { index, total, descriptionIndex, descriptionCount: plan.descriptions.length, imageIndex, perDescription: plan.perDescription, ...(input ? { input } : {}) };
  return { ...place, description: plan.descriptions[descriptionIndex] ?? '', seed: plan.seedFor(index), label: itemLabel(place, plan.noun) };
}

/** One item: item-start, its prompt's events, its saved files, then item-done; any failure becomes item-failed. */
function runItem(plan: BatchPlan, item: BatchItem): Observable<BatchEvent> {
  const { scheduler } = plan;
  const startedAt = scheduler.now();
  let finished: DoneEvent | undefined;
  const files: SavedFile[] = [];
  const run$ = defer(() => plan.target.run(plan.workflowOf ? plan.workflowOf(item) : itemWorkflow(plan, item), plan.runOptions)).pipe(
    tap((event) => {
      if (event.type === 'done') finished = event;
    }),
    map((event): BatchEvent => ({ type: 'prompt', item, event })),
  );
  const save$ = defer(() => {
    if (!finished) return throwError(() => new Error(`${item.label}: the prompt stream completed without a done event`));
    return plan.save ? plan.save(finished, item) : EMPTY;
  }).pipe(
    tap((file) => files.push(file)),
    map((file): BatchEvent => ({ type: 'saved', item, file })),
  );
  const end$ = defer(() =>
    of<BatchEvent>({ type: 'item-done', item, promptId: finished?.promptId ?? '', files, elapsedMs: scheduler.now() - startedAt }),
  );
  return concat(run$, save$, end$).pipe(
    catchError((error: unknown) => of<BatchEvent>({ type: 'item-failed', item, error: toError(error), elapsedMs: scheduler.now() - startedAt })),
    startWith<BatchEvent>({ type: 'item-start', item }),
  );
}

/** The item's own copy of the template, with its description, seed, input file and the settings written in. */
export function itemWorkflow(plan: Pick<BatchPlan, 'template' | 'locations' | 'settings'> & Partial<Pick<BatchPlan, 'descriptions' | 'inputs'>>, item: Pick<BatchItem, 'description' | 'seed' | 'input'>): Workflow {
  const workflow = structuredClone(plan.template);
  if (plan.descriptions === undefined || plan.descriptions.length > 0) for (const path of plan.locations.text) writeInput(workflow, path, item.description);
  const input = item.input ? plan.inputs?.[item.input.index] : undefined;
  if (input) for (const path of plan.locations.image) writeInput(workflow, path, input.value);
  for (const path of plan.locations.seed) writeInput(workflow, path, item.seed);
  for (const key of SETTING_KEYS) {
    const value = plan.settings[key];
    if (value === undefined) continue;
    for (const path of plan.locations[key]) writeInput(workflow, path, value);
  }
  return workflow;
}
