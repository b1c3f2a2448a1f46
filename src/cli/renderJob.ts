import { type Observable, type SchedulerLike, Subject, Subscription } from 'rxjs';
import { type ProgressView, progressMilestones, progressView } from '../progress';
import type { PromptEvent } from '../prompt/events';
import type { JobEvent, JobItem, JobSummary } from './jobEvents';
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
}

/** How a job ended. */
export interface JobResult {
  /** The job's own summary; absent when interrupted. */
  readonly summary?: JobSummary;
  readonly failures: readonly JobFailure[];
  readonly interrupted: boolean;
}

/**
 * Runs a job (subscribes to its events) and draws it: each item's prompt events go through
 * {@link progressView} (and {@link progressMilestones} for line-based renderers) to the renderer.
 * Resolves when the job completes or is aborted; rejects when the job itself errors.
 */
export function renderJob(events$: Observable<JobEvent>, renderer: JobRenderer, options: RenderJobOptions = {}): Promise<JobResult> {
  return new Promise<JobResult>((resolve, reject) => {
    const feeds = new Map<number, Subject<PromptEvent>>();
    const views = new Subscription();
    const failures: JobFailure[] = [];
    let summary: JobSummary | undefined;
    let settled = false;

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

    const onEvent = (event: JobEvent): void => {
      switch (event.type) {
        case 'item-start':
          renderer.itemStart(event.item);
          feedOf(event.item);
          break;
        case 'prompt':
          feedOf(event.item).next(event.event);
          break;
        case 'saved':
          renderer.saved(event.item, event.file);
          break;
        case 'item-done':
          feeds.get(event.item.index)?.complete();
          feeds.delete(event.item.index);
          renderer.itemDone(event.item, event.files, event.elapsedMs);
          break;
        case 'item-failed':
          feedOf(event.item).error(event.error);
          feeds.delete(event.item.index);
          failures.push({ item: event.item, error: event.error });
          renderer.itemFailed(event.item, event.error);
          break;
        case 'summary':
          summary = event.summary;
          break;
      }
    };

    const subscription = events$.subscribe({
      next: onEvent,
      error: (err: unknown) => settle(() => reject(err)),
      complete: () =>
        settle(() => {
          if (summary) renderer.summary(summary, failures);
          resolve({ summary, failures, interrupted: false });
        }),
    });
    function onAbort(): void {
      subscription.unsubscribe();
      settle(() => resolve({ failures, interrupted: true }));
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
