import { type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';
import type { SavedFile } from '../outputs/saveOutputs';
import type { Workflow } from '../protocol/api';
import type { DoneEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import type { BatchEvent, BatchItem } from './batchEvents';
import type { BatchTarget } from './batchTarget';
import { runBatch } from './runBatch';
import { LOCATION_KEYS, type Locations } from './strategy';
import { firstSeedOf, withSeedOffset } from './withSeedOffset';

/** What {@link repeatWorkflow} runs. */
export interface RepeatWorkflowPlan {
  readonly target: BatchTarget;
  /** An API-format workflow; never mutated. */
  readonly workflow: Workflow;
  /** Runs, one after another. */
  readonly count: number;
  /** Added to every run's seed offset (1: new seeds from the first run on). Default 0: the first run is the workflow as it is. */
  readonly firstSeedOffset?: number;
  /** Saves a finished run's outputs; absent: nothing is downloaded. */
  readonly save?: (done: DoneEvent, item: BatchItem) => Observable<SavedFile>;
  readonly runOptions?: RunOptions;
  /** Stop at the first failed run, or at the first failure this test accepts. Default false: every run is made. */
  readonly stopOnError?: boolean | ((error: Error, item: BatchItem) => boolean);
  readonly scheduler?: SchedulerLike;
}

const NOWHERE = Object.fromEntries(LOCATION_KEYS.map((key) => [key, []])) as unknown as Locations;

/**
 * One workflow run `count` times as a batch ({@link runBatch}: one held socket, item by item,
 * each run's outputs saved, a failed run reported and the next one started, then a summary). Run
 * `i` gets every seed input plus `i` (see {@link withSeedOffset}), so the runs differ. Items have
 * an empty description; their `seed` is the workflow's first seed input of that run (0 without one).
 * ```text
 * result: s-p-p-v-Ds-p-F(S|)      s item-start, p prompt, v saved, D item-done, F item-failed, S summary
 * ```
 * @example repeatWorkflow({ target: clientTarget(comfy), workflow, count: 4 }).subscribe((e) => console.log(e.type));
 */
export function repeatWorkflow(plan: RepeatWorkflowPlan): Observable<BatchEvent> {
  const offset = plan.firstSeedOffset ?? 0;
  const firstSeed = firstSeedOf(plan.workflow);
  return runBatch({
    target: plan.target,
    template: plan.workflow,
    locations: NOWHERE,
    settings: {},
    descriptions: [''],
    perDescription: plan.count,
    seedFor: (index) => (firstSeed === undefined ? 0 : firstSeed + index + offset),
    workflowOf: (item) => withSeedOffset(plan.workflow, item.index + offset),
    noun: 'run',
    ...(plan.save ? { save: plan.save } : {}),
    stopOnError: plan.stopOnError ?? false,
    concurrency: 1,
    runOptions: plan.runOptions ?? {},
    scheduler: plan.scheduler ?? asyncScheduler,
  });
}
