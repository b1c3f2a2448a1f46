import { type Observable, type SchedulerLike, concat, concatMap, defer, from, ignoreElements, last, map, of, takeWhile, timer } from 'rxjs';
import { CANCEL_VERIFY_DELAYS_MS } from '../../constants';
import { historyOutcome, type HistoryEntry, type QueueResponse } from '../../protocol/api';
import { type ReconcileVerdict, reconcilePrompt } from '../../prompt/reconcile';
import type { CancelResult } from '../cancelResult';

/** The native calls a cancel makes. */
export interface NativeCancelSources {
  deleteFromQueue(promptIds: readonly string[]): Observable<void>;
  interrupt(promptId?: string): Observable<void>;
  queue$: Observable<QueueResponse>;
  history(promptId: string): Observable<HistoryEntry | undefined>;
  readonly scheduler: SchedulerLike;
}

/** What a verdict says of a cancelled prompt. */
function resultOf(promptId: string, verdict: ReconcileVerdict, known: boolean): CancelResult {
  switch (verdict.kind) {
    case 'pending':
      return { promptId, stopped: false, state: 'queued' };
    case 'running':
      return { promptId, stopped: false, state: 'running' };
    case 'finished':
      return { promptId, stopped: true, state: historyOutcome(verdict.entry).kind === 'interrupted' ? 'cancelled' : 'finished' };
    case 'lost':
      return { promptId, stopped: true, state: known ? 'cancelled' : 'unknown' };
  }
}

/**
 * Cancels one prompt on a native server and checks that it stopped: where it stands first
 * (`/queue`, `/history`), then `POST /queue {delete}` and a targeted `POST /interrupt {prompt_id}`
 * (never another client's prompt), then looks again after each of `CANCEL_VERIFY_DELAYS_MS` until
 * it is gone from the queue.
 * @example cancelNativePrompt(id, { ...comfy.http, queue$: comfy.http.queue(), scheduler }).subscribe((r) => r.stopped)
 */
export function cancelNativePrompt(promptId: string, sources: NativeCancelSources, delays: readonly number[] = CANCEL_VERIFY_DELAYS_MS): Observable<CancelResult> {
  const look = () => reconcilePrompt(promptId, { queue$: sources.queue$, history: (id) => sources.history(id), recheckDelayMs: 0, scheduler: sources.scheduler });
  return look().pipe(
    concatMap((before) => {
      const known = before.kind !== 'lost';
      if (!known || before.kind === 'finished') return of(resultOf(promptId, before, known));
      const act = concat(sources.deleteFromQueue([promptId]), sources.interrupt(promptId)).pipe(ignoreElements());
      const checks = from(delays).pipe(
        concatMap((delay) => timer(delay, sources.scheduler).pipe(concatMap(() => defer(look)))),
        map((verdict) => resultOf(promptId, verdict, true)),
        takeWhile((result) => !result.stopped, true),
        last(),
      );
      return concat(act, checks);
    }),
  );
}
