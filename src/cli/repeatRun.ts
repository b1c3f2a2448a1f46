import { EMPTY, type Observable, type SchedulerLike, asyncScheduler, catchError, concat, concatMap, defer, finalize, map, of, range, tap } from 'rxjs';
import type { ComfyClient } from '../client';
import { type SavedFile, saveOutputs } from '../outputs';
import type { Workflow } from '../protocol/api';
import type { RunOptions } from '../prompt/runPrompt';
import type { JobEvent, JobItem } from './jobEvents';
import { toError } from '../util/toError';

/** Inputs that hold a sampler's seed; `run --count` gives each run its own. */
const SEED_INPUTS = ['seed', 'noise_seed'] as const;

/** The workflow of run `index`: every numeric seed input plus `index`, so repeated runs differ (and are not cached). */
export function withSeedOffset(workflow: Workflow, index: number): Workflow {
  if (index === 0) return workflow;
  const copy = structuredClone(workflow);
  for (const node of Object.values(copy)) {
    for (const key of SEED_INPUTS) {
      const value = node.inputs[key];
      if (typeof value === 'number') node.inputs[key] = value + index;
    }
  }
  return copy;
}

/** Options of {@link repeatRun}. */
export interface RepeatRunOptions {
  readonly count: number;
  /** Folder the outputs are saved to; absent: nothing is downloaded. */
  readonly outDir?: string;
  readonly runOptions?: RunOptions;
  /** Added to every run's seed offset: 1 re-runs a file's workflow with new seeds from the first run on. Default 0. */
  readonly firstSeedOffset?: number;
  readonly scheduler?: SchedulerLike;
}

/**
 * `comfyui-rx run`: the workflow `count` times, one after another on one held socket, each run's
 * outputs saved, as {@link JobEvent}s (item-start, prompt*, saved*, item-done | item-failed, then
 * a summary). A failed run is reported and the next one goes on. Unsubscribing cancels the
 * running prompt on the server.
 */
export function repeatRun(client: ComfyClient, workflow: Workflow, options: RepeatRunOptions): Observable<JobEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return defer(() => {
    const hold = client.connect();
    const startedAt = scheduler.now();
    const counts = { done: 0, failed: 0, files: 0 };

    const runOne = (index: number): Observable<JobEvent> => defer(() => {
      const item: JobItem = { index, total: options.count, label: `[${index + 1}/${options.count}]` };
      const itemStart = scheduler.now();
      const files: SavedFile[] = [];
      const save$ = (outputs: Parameters<typeof saveOutputs>[1]): Observable<JobEvent> =>
        (options.outDir ? saveOutputs(client.http, outputs, { dir: options.outDir }) : EMPTY).pipe(
          tap((file) => files.push(file)),
          map((file): JobEvent => ({ type: 'saved', item, file })),
        );
      const itemDone$ = defer(() => {
        counts.done++;
        counts.files += files.length;
        return of<JobEvent>({ type: 'item-done', item, files, elapsedMs: scheduler.now() - itemStart });
      });
      const run$ = client.run(withSeedOffset(workflow, index + (options.firstSeedOffset ?? 0)), options.runOptions).pipe(
        concatMap((event): Observable<JobEvent> => {
          const prompt = of<JobEvent>({ type: 'prompt', item, event });
          return event.type === 'done' ? concat(prompt, save$(event.outputs), itemDone$) : prompt;
        }),
        catchError((err: unknown) => {
          counts.failed++;
          return of<JobEvent>({ type: 'item-failed', item, error: toError(err) });
        }),
      );
      return concat(of<JobEvent>({ type: 'item-start', item }), run$);
    });

    return concat(
      range(0, options.count).pipe(concatMap(runOne)),
      defer(() => of<JobEvent>({ type: 'summary', summary: { total: options.count, ...counts, elapsedMs: scheduler.now() - startedAt } })),
    ).pipe(finalize(() => hold.unsubscribe()));
  });
}
