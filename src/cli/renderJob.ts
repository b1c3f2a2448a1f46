import { type Observable, type SchedulerLike, Subject, Subscription } from 'rxjs';
import type { BatchEvent, BatchItem, BatchSummary } from '../batch';
import type { SavedFile } from '../outputs';
import { type ProgressView, progressMilestones, progressView } from '../progress';
import type { DoneEvent, PromptEvent } from '../prompt/events';
import { type JobItem, shownItem } from './jobItem';
import type { UnsavedOutput } from './unsavedOutputs';
import type { JobFailure, JobRenderer } from './render/JobRenderer';

/** Options of {@link renderJob}. */
export interface RenderJobOptions {
  /** The workflow each item runs (its node count is an item's 100%). */
  readonly workflow?: Readonly<Record<string, unknown>>;
  /** The server's queue length (`client.queueRemaining$`). */
  readonly queueRemaining$?: Observable<number>;
  /** Aborting unsubscribes from the job (which cancels its prompts on the server). */
  readonly signal?: AbortSignal;
  readonly scheduler?: SchedulerLike;
  /** The label people see for an item (`[3/8] image 1/2`). Default: the batch's own label. */
  readonly labelOf?: (item: BatchItem) => string;
  /** What of a finished prompt is not saved (told before the item's end). Default: nothing. */
  readonly unsavedOf?: (done: DoneEvent) => readonly UnsavedOutput[];
}

/** How a job ended. */
export interface JobResult {
  /** The job's own summary; absent when interrupted. */
  readonly summary?: BatchSummary;
  readonly failures: readonly JobFailure[];
  readonly interrupted: boolean;
  /** Items done and files saved until the end (what an interrupted job leaves behind). */
  readonly done: number;
  readonly saved: readonly SavedFile[];
}

/**
 * Runs a job (subscribes to its batch events) and draws it: each item's prompt events go through
 * {@link progressView} (and {@link progressMilestones} for line-based renderers) to the renderer.
 * Resolves when the job completes or is aborted (the renderer then tells what was done and saved);
 * rejects when the job itself errors.
 */
export function renderJob(events$: Observable<BatchEvent>, renderer: JobRenderer, options: RenderJobOptions = {}): Promise<JobResult> {
  return new Promise<JobResult>((resolve, reject) => {
    const feeds = new Map<number, Subject<PromptEvent>>();
    const shown = new Map<number, JobItem>();
    const unsaved = new Map<number, readonly UnsavedOutput[]>();
    const views = new Subscription();
    const failures: JobFailure[] = [];
    const saved: SavedFile[] = [];
    let done = 0;
    let total: number | undefined;
    let summary: BatchSummary | undefined;
    let settled = false;

    const show = (item: BatchItem): JobItem => {
      let found = shown.get(item.index);
      if (!found) {
        found = shownItem(item, options.labelOf ? options.labelOf(item) : item.label);
        shown.set(item.index, found);
      }
      return found;
    };

    const feedOf = (item: JobItem): Subject<PromptEvent> => {
      let feed = feeds.get(item.index);
      if (!feed) {
        feed = new Subject<PromptEvent>();
        feeds.set(item.index, feed);
        const views$: Observable<ProgressView> = feed.pipe(progressView({ workflow: options.workflow, queueRemaining$: options.queueRemaining$, scheduler: options.scheduler }));
        views.add((renderer.milestonesOnly ? views$.pipe(progressMilestones()) : views$).subscribe((view) => renderer.view(item, view)));
      }
      return feed;
    };
    const settle = (end: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      views.unsubscribe();
      renderer.stop();
      end();
    };

    const onEvent = (event: BatchEvent): void => {
      if (event.type === 'summary') {
        summary = event.summary;
        return;
      }
      const item = show(event.item);
      total = item.total;
      switch (event.type) {
        case 'item-start':
          renderer.itemStart(item);
          feedOf(item);
          break;
        case 'prompt':
          if (event.event.type === 'done' && options.unsavedOf) unsaved.set(item.index, options.unsavedOf(event.event));
          feedOf(item).next(event.event);
          break;
        case 'saved':
          saved.push(event.file);
          renderer.saved(item, event.file);
          break;
        case 'item-done':
          done++;
          feeds.get(item.index)?.complete();
          feeds.delete(item.index);
          shown.delete(item.index);
          if (unsaved.get(item.index)?.length) renderer.notSaved(item, unsaved.get(item.index) ?? []);
          unsaved.delete(item.index);
          renderer.itemDone(item, event.files, event.elapsedMs);
          break;
        case 'item-failed':
          feedOf(item).error(event.error);
          feeds.delete(item.index);
          shown.delete(item.index);
          unsaved.delete(item.index);
          failures.push({ item, error: event.error });
          renderer.itemFailed(item, event.error);
          break;
      }
    };

    const subscription = events$.subscribe({
      next: onEvent,
      error: (err: unknown) => settle(() => reject(err)),
      complete: () =>
        settle(() => {
          if (summary) renderer.summary(summary, failures);
          resolve({ summary, failures, interrupted: false, done, saved });
        }),
    });
    function onAbort(): void {
      subscription.unsubscribe();
      settle(() => {
        renderer.interrupted({ done, total, saved });
        resolve({ failures, interrupted: true, done, saved });
      });
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
