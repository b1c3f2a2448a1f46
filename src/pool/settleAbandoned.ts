import { type Observable, type SchedulerLike, catchError, concat, concatMap, defer, ignoreElements, of, timer } from 'rxjs';
import { type HistoryEntry, historyOutcome } from '../protocol/api';
import { reconcilePrompt } from '../prompt/reconcile';
import type { PoolHttp } from './poolClient';

/** What became of a prompt whose server failed, as far as that server can tell. */
export type AbandonedVerdict =
  /** It finished there (success or execution error): never run it again. */
  | { readonly kind: 'finished'; readonly entry: HistoryEntry }
  /** It did not finish and no longer can (lost, removed from the queue, or interrupted): safe to run elsewhere. */
  | { readonly kind: 'not-finished' }
  /** The server's queue and history cannot be read (`error` says why). */
  | { readonly kind: 'unreachable'; readonly error: unknown }
  /** Still queued or running there after `maxRounds` attempts to cancel it. */
  | { readonly kind: 'stuck' };

export interface SettleOptions {
  /** Wait between a cancel and the next check (and before confirming a prompt is nowhere). */
  readonly recheckDelayMs: number;
  /** Cancel-and-check rounds before giving up with `stuck`. */
  readonly maxRounds: number;
  readonly scheduler: SchedulerLike;
}

const notFinished: AbandonedVerdict = { kind: 'not-finished' };

/**
 * Asks a failed server what became of a prompt before it is resubmitted elsewhere, so a prompt that
 * finished there never runs twice. Reads `/queue` then `/history/{id}` (docs/protocol.md rule 4): finished ->
 * `finished`; nowhere -> `not-finished`; still pending -> removed from the queue, then checked again;
 * still running -> interrupted (targeted), then checked again. An `interrupted` history entry counts
 * as `not-finished`: the client cancels a prompt it abandons, so the interrupt is most likely ours.
 * Emits one verdict, then completes; never errors (a failed read is `unreachable`).
 */
export function settleAbandoned(http: PoolHttp, promptId: string, options: SettleOptions): Observable<AbandonedVerdict> {
  const { recheckDelayMs, maxRounds, scheduler } = options;
  const round = (n: number): Observable<AbandonedVerdict> =>
    reconcilePrompt(promptId, { queue$: defer(() => http.queue()), history: (id) => http.history(id), recheckDelayMs, scheduler }).pipe(
      concatMap((verdict): Observable<AbandonedVerdict> => {
        switch (verdict.kind) {
          case 'finished':
            return of(historyOutcome(verdict.entry).kind === 'interrupted' ? notFinished : { kind: 'finished', entry: verdict.entry });
          case 'lost':
            return of(notFinished);
          case 'pending':
          case 'running': {
            if (n >= maxRounds) return of({ kind: 'stuck' });
            const cancel = verdict.kind === 'pending' ? http.deleteFromQueue([promptId]) : http.interrupt(promptId);
            return concat(cancel.pipe(ignoreElements()), timer(recheckDelayMs, scheduler).pipe(ignoreElements()), defer(() => round(n + 1)));
          }
        }
      }),
    );
  return round(1).pipe(catchError((error: unknown) => of<AbandonedVerdict>({ kind: 'unreachable', error })));
}
