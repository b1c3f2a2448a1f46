import { type Observable, type SchedulerLike, concatMap, first, from, map, of, throwError, timer } from 'rxjs';
import { HISTORY_REREAD_DELAYS_MS } from '../constants';
import { ComfyExecutionError, ComfyInterruptedError, ComfyPromptLostError, ComfyProtocolError } from '../errors';
import { type HistoryEntry, historyOutcome } from '../protocol/api';
import type { DoneEvent } from './events';
import type { ReconcileVerdict } from './reconcile';
import type { PromptOutcome } from './signals';

/** Where a prompt's result is read once it ended. */
export interface HistorySources {
  history(promptId: string): Observable<HistoryEntry | undefined>;
  /** Asks the server where the prompt stands (when its history stays empty after the end). */
  reconcile(): Observable<ReconcileVerdict>;
  readonly scheduler: SchedulerLike;
}

/**
 * The result of a prompt that ended (docs/protocol.md rule 3: the outputs come from `/history`, the source
 * of truth): a failed outcome errors with its error; a success reads the history entry (unless the
 * outcome carries it already) and becomes `done`, or the error the entry records.
 * @param startedAt When the run started (`scheduler.now()`), for `elapsedMs`.
 * @example signals$.pipe(first(isEnd), concatMap((end) => finish(promptId, end.outcome, sources, startedAt)))
 */
export function finish(promptId: string, outcome: PromptOutcome, sources: HistorySources, startedAt: number): Observable<DoneEvent> {
  if (outcome.kind === 'failed') return throwError(() => outcome.error);
  return doneFrom(promptId, outcome.entry ? of(outcome.entry) : readHistory(promptId, sources), sources, startedAt);
}

/**
 * {@link finish} of a success whose first `/history` read came back empty: the re-reads, then the
 * reconciliation (the prompt's state machine makes the first read itself).
 * @example http.history(id).pipe(concatMap((entry) => (entry ? of(entry) : finishAfterEmptyRead(id, sources, startedAt))))
 */
export function finishAfterEmptyRead(promptId: string, sources: HistorySources, startedAt: number): Observable<DoneEvent> {
  return doneFrom(promptId, rereadHistory(promptId, sources), sources, startedAt);
}

function doneFrom(promptId: string, entry$: Observable<HistoryEntry | undefined>, sources: HistorySources, startedAt: number): Observable<DoneEvent> {
  return entry$.pipe(
    concatMap((entry) => (entry ? of(entry) : reconcileToEntry(promptId, sources.reconcile))),
    map((entry) => doneFromHistory(promptId, entry, sources.scheduler.now() - startedAt)),
  );
}

/**
 * `/history/{id}` right after the end marker, re-read after each of `HISTORY_REREAD_DELAYS_MS`
 * while the server has not written it yet. Emits the entry, or `undefined` when it stayed empty.
 */
export function readHistory(promptId: string, sources: Pick<HistorySources, 'history' | 'scheduler'>): Observable<HistoryEntry | undefined> {
  return sources.history(promptId).pipe(concatMap((entry) => (entry ? of(entry) : rereadHistory(promptId, sources))));
}

/** The re-reads of an empty `/history/{id}`, after each of `HISTORY_REREAD_DELAYS_MS`: the entry, or `undefined`. */
function rereadHistory(promptId: string, sources: Pick<HistorySources, 'history' | 'scheduler'>): Observable<HistoryEntry | undefined> {
  return from(HISTORY_REREAD_DELAYS_MS).pipe(
    concatMap((delay) => timer(delay, sources.scheduler).pipe(concatMap(() => sources.history(promptId)))),
    first((found): found is HistoryEntry => found !== undefined, undefined),
  );
}

/**
 * The end was announced but history stays empty: asks the server (`reconcile`) and gives up only
 * when the prompt is nowhere (`ComfyPromptLostError`). Still queued or running after its end is a
 * `ComfyProtocolError`.
 */
export function reconcileToEntry(promptId: string, reconcile: () => Observable<ReconcileVerdict>): Observable<HistoryEntry> {
  return reconcile().pipe(
    map((verdict) => {
      if (verdict.kind === 'finished') return verdict.entry;
      if (verdict.kind === 'lost') throw new ComfyPromptLostError(promptId);
      throw new ComfyProtocolError(`The server ended prompt ${promptId} but still lists it as ${verdict.kind}`);
    }),
  );
}

/**
 * A finished prompt's history entry as its `done` event; throws the {@link ComfyExecutionError} or
 * {@link ComfyInterruptedError} the entry records instead.
 */
export function doneFromHistory(promptId: string, entry: HistoryEntry, elapsedMs: number): DoneEvent {
  const result = historyOutcome(entry);
  if (result.kind === 'error') throw ComfyExecutionError.fromData(promptId, result.error);
  if (result.kind === 'interrupted') throw new ComfyInterruptedError(promptId, result.interrupted.node_id, result.interrupted.node_type);
  return { type: 'done', promptId, outputs: entry.outputs, elapsedMs };
}
