import { type Observable, type SchedulerLike, concatMap, map, of, timer } from 'rxjs';
import type { HistoryEntry, QueueItem, QueueResponse } from '../protocol/api';

/** What the server says of a prompt we follow (design rule 4). */
export type ReconcileVerdict =
  /** Waiting in the queue with `ahead` prompts before it (the running one included). */
  | { readonly kind: 'pending'; readonly ahead: number }
  | { readonly kind: 'running' }
  | { readonly kind: 'finished'; readonly entry: HistoryEntry }
  /** Neither queued, running nor in history, twice: the server lost it. */
  | { readonly kind: 'lost' };

export interface ReconcileSources {
  /** A fresh `/queue` snapshot (callers may coalesce concurrent reads into one request). */
  queue$: Observable<QueueResponse>;
  history(promptId: string): Observable<HistoryEntry | undefined>;
  /** Wait before the confirming re-check of a prompt found nowhere. */
  recheckDelayMs: number;
  scheduler: SchedulerLike;
}

/**
 * Checks one prompt against `/queue`, then `/history/{id}` (in that order: the server writes the
 * history entry before it drops the prompt from the running list, so a prompt cannot slip
 * between the two reads). A prompt found nowhere is checked once more after `recheckDelayMs`
 * before it is declared lost.
 */
export function reconcilePrompt(promptId: string, sources: ReconcileSources): Observable<ReconcileVerdict> {
  const once = (): Observable<ReconcileVerdict | undefined> =>
    sources.queue$.pipe(
      concatMap((queue) => {
        const place = placeInQueue(promptId, queue);
        if (place) return of(place);
        return sources.history(promptId).pipe(map((entry) => (entry ? ({ kind: 'finished', entry } as const) : undefined)));
      }),
    );
  return once().pipe(
    concatMap((verdict) =>
      verdict
        ? of(verdict)
        : timer(sources.recheckDelayMs, sources.scheduler).pipe(
            concatMap(once),
            map((second): ReconcileVerdict => second ?? { kind: 'lost' }),
          ),
    ),
  );
}

/** Where a prompt stands in a `/queue` answer (pending order is the server's heap key: number, then id). */
export function placeInQueue(promptId: string, queue: QueueResponse): ReconcileVerdict | undefined {
  if (queue.queue_running.some((item) => item[1] === promptId)) return { kind: 'running' };
  const mine = queue.queue_pending.find((item) => item[1] === promptId);
  if (!mine) return undefined;
  const before = (item: QueueItem) => item[0] < mine[0] || (item[0] === mine[0] && item[1] < mine[1]);
  return { kind: 'pending', ahead: queue.queue_running.length + queue.queue_pending.filter(before).length };
}
