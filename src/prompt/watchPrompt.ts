import {
  EMPTY,
  type Observable,
  catchError,
  concat,
  concatMap,
  connect,
  defer,
  exhaustMap,
  filter,
  finalize,
  first,
  map,
  merge,
  of,
  repeat,
  share,
  takeWhile,
  throwError,
  timer,
} from 'rxjs';
import { ComfyExecutionError, ComfyInterruptedError, ComfyPromptLostError, ComfyProtocolError, ComfyTimeoutError } from '../errors';
import { deadline } from '../operators/deadline';
import { silenceTicks } from '../operators/silenceTicks';
import { type HistoryEntry, historyOutcome } from '../protocol/api';
import type { ConnectionEvent } from '../transport/socketHub';
import type { DoneEvent, PromptEvent } from './events';
import { type ReconcileSources, type ReconcileVerdict, reconcilePrompt } from './reconcile';
import type { PromptDeps } from './runPrompt';
import { type PromptSignal, isEnd, isEvent } from './signals';
import { toPromptSignals } from './toPromptSignals';

/** Options of `ComfyClient.watch`. */
export interface WatchOptions {
  /** Unsubscribing before the end cancels the prompt on the server. Default false: `watch` did not submit it. */
  readonly cancelOnUnsubscribe?: boolean;
  /** Overall budget (ms) from the subscription: past it the stream fails with `ComfyTimeoutError` (cancelling only with `cancelOnUnsubscribe`). */
  readonly timeoutMs?: number;
  /** Silence (ms) before a `stalled` warning and a reconciliation; overrides the client's. */
  readonly stallWarnAfterMs?: number;
}

/** Checks after the live end before giving up on a history entry that is not written yet. */
const END_CHECKS = 10;

type Reason = { readonly kind: 'initial' } | { readonly kind: 'reconnect' } | { readonly kind: 'stall'; readonly silentMs: number };

const isOpen = (event: ConnectionEvent): boolean => event.kind === 'open';

/** A finished prompt's history entry as its last event, or its typed error. */
function historyResult(promptId: string, entry: HistoryEntry, elapsedMs: number): DoneEvent {
  const result = historyOutcome(entry);
  if (result.kind === 'error') {
    const e = result.error;
    throw new ComfyExecutionError(promptId, e.node_id, e.node_type, e.exception_message, e.exception_type, e.traceback);
  }
  if (result.kind === 'interrupted') throw new ComfyInterruptedError(promptId, result.interrupted.node_id, result.interrupted.node_type);
  return { type: 'done', promptId, outputs: entry.outputs, elapsedMs };
}

/**
 * A prompt submitted earlier (by this process before a restart, or by another) as a cold
 * Observable of {@link PromptEvent}. It starts from the server's truth once the shared socket is
 * open: `/queue` (`waiting` with its position, or `started`), `/history` (`done`, or the typed
 * error at once); then follows the live events that reach this client, and reconciles again on
 * every reconnect and every `stallWarnAfterMs` of silence, as `run()` does. An id the server does
 * not know errors with `ComfyPromptLostError`. Unsubscribing does not cancel the prompt unless
 * `cancelOnUnsubscribe`.
 */
export function watchPrompt(deps: PromptDeps, promptId: string, options: WatchOptions = {}): Observable<PromptEvent> {
  return defer(() => {
    const { scheduler } = deps;
    const startedAt = scheduler.now();
    const warnAfterMs = options.stallWarnAfterMs ?? deps.stallWarnAfterMs;
    const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
    const log = deps.logger.child({ promptId });
    const sources: ReconcileSources = { queue$: deps.queue$, history: (id) => deps.http.history(id), recheckDelayMs: deps.recheckDelayMs, scheduler };
    let started = false;
    let settled = false;

    const verdictSignals = (verdict: ReconcileVerdict): Observable<PromptSignal> => {
      switch (verdict.kind) {
        case 'pending':
          return of({ type: 'waiting', ahead: verdict.ahead });
        case 'running':
          return started ? EMPTY : of({ type: 'started', promptId }); // the filter below marks it announced
        case 'finished':
          return of({ type: 'end', outcome: { kind: 'success', entry: verdict.entry }, final: true });
        case 'lost':
          return of({ type: 'end', outcome: { kind: 'failed', error: new ComfyPromptLostError(promptId) }, final: true });
      }
    };

    const check = (reason: Reason): Observable<PromptSignal> => {
      const notice: PromptSignal[] = [];
      if (reason.kind === 'reconnect') notice.push({ type: 'reconnected' });
      if (reason.kind === 'stall' && started) notice.push({ type: 'stalled', silentMs: reason.silentMs });
      return concat(
        of(...notice),
        reconcilePrompt(promptId, sources).pipe(
          concatMap(verdictSignals),
          catchError((err: unknown) => {
            log.warn({ err, reason: reason.kind }, 'reconciliation failed; will retry at the next check');
            return EMPTY;
          }),
        ),
      );
    };

    /** After a live success: the history entry, re-read while the server has not written it yet. */
    const entryAfterEnd = (): Observable<HistoryEntry> =>
      defer(() => reconcilePrompt(promptId, sources)).pipe(
        repeat({ count: END_CHECKS, delay: () => timer(deps.recheckDelayMs, scheduler) }),
        first((verdict) => verdict.kind === 'finished' || verdict.kind === 'lost', undefined),
        map((verdict) => {
          if (verdict?.kind === 'finished') return verdict.entry;
          if (verdict?.kind === 'lost') throw new ComfyPromptLostError(promptId);
          throw new ComfyProtocolError(`The server ended prompt ${promptId} but its history entry never appeared`);
        }),
      );

    const life$ = deps.connection$.pipe(
      connect((connection$) => {
        const inbox$ = deps.attach(promptId).pipe(share());
        const live$ = inbox$.pipe(toPromptSignals(promptId, () => undefined));
        const reasons$ = merge(
          connection$.pipe(
            filter(isOpen),
            map((_, index): Reason => (index === 0 ? { kind: 'initial' } : { kind: 'reconnect' })),
          ),
          inbox$.pipe(
            silenceTicks(warnAfterMs, scheduler),
            map((silentMs): Reason => ({ kind: 'stall', silentMs })),
          ),
        );
        return merge(live$, reasons$.pipe(exhaustMap(check)));
      }),
      connect((signals$) =>
        merge(
          signals$.pipe(
            takeWhile(isEvent),
            filter((event) => {
              if (event.type !== 'started') return true;
              if (started) return false; // announced already (by a check, or live)
              started = true;
              return true;
            }),
          ),
          signals$.pipe(
            first(isEnd),
            concatMap((end) => {
              settled = true;
              if (end.outcome.kind === 'failed') return throwError(() => (end.outcome as { error: Error }).error);
              const entry$ = end.outcome.entry ? of(end.outcome.entry) : entryAfterEnd();
              return entry$.pipe(map((entry) => historyResult(promptId, entry, scheduler.now() - startedAt)));
            }),
          ),
        ),
      ),
    );

    const bounded$ = timeoutMs === undefined ? life$ : life$.pipe(deadline(timeoutMs, () => new ComfyTimeoutError(promptId, timeoutMs), scheduler));
    return bounded$.pipe(
      finalize(() => {
        if (settled || !options.cancelOnUnsubscribe) return;
        concat(deps.http.deleteFromQueue([promptId]), deps.http.interrupt(promptId)).subscribe({
          complete: () => log.info('cancelled on the server'),
          error: (err: unknown) => log.debug({ err }, 'cancel skipped (the server is unreachable)'),
        });
      }),
    );
  });
}
