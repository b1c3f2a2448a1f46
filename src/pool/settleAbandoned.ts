import { type Observable, type SchedulerLike, catchError, concat, concatMap, defer, filter, ignoreElements, last, map, of, timer } from 'rxjs';
import { type HistoryEntry, historyOutcome } from '../protocol/api';
import { reconcilePrompt } from '../prompt/reconcile';
import type { DoneEvent, PromptEvent } from '../prompt/events';
import type { CancelResult } from '../surfaces/cancelResult';
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
  | { readonly kind: 'stuck' }
  /** It finished there (a Comfy API v2 server: read back with `watch`): its `done`, or the error it ended with. */
  | { readonly kind: 'ended'; readonly done?: DoneEvent; readonly error?: unknown };

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

/** What {@link settleAbandonedJob} asks of a Comfy API v2 server's client. */
export interface SettleClient {
  cancel(promptId: string): Observable<CancelResult>;
  watch(promptId: string): Observable<PromptEvent>;
}

/**
 * {@link settleAbandoned} for a Comfy API v2 server (no `/queue`, no `/history`): cancels the
 * prompt there and checks that it stopped (`ComfyClient.cancel`). Stopped by the cancel, or
 * unknown there -> `not-finished`; still running (the cancel did nothing) -> `stuck`; it had
 * finished -> `ended` with its `done` (or error), read back with `watch`. Never errors.
 */
export function settleAbandonedJob(client: SettleClient, promptId: string): Observable<AbandonedVerdict> {
  return client.cancel(promptId).pipe(
    concatMap((result): Observable<AbandonedVerdict> => {
      if (!result.stopped) return of({ kind: 'stuck' });
      if (result.state !== 'finished') return of(notFinished);
      return client.watch(promptId).pipe(
        filter((event): event is DoneEvent => event.type === 'done'),
        last(),
        map((done): AbandonedVerdict => ({ kind: 'ended', done })),
        catchError((error: unknown) => of<AbandonedVerdict>({ kind: 'ended', error })),
      );
    }),
    catchError((error: unknown) => of<AbandonedVerdict>({ kind: 'unreachable', error })),
  );
}
