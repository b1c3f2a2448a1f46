import { type Observable, type SchedulerLike, concatMap, connect, filter, merge, takeWhile } from 'rxjs';
import { SUCCESS_TO_END_GRACE_MS } from '../constants';
import { ComfyTimeoutError } from '../errors';
import { deadline } from '../operators/deadline';
import { firstFinal } from '../operators/firstFinal';
import type { PromptEvent } from './events';
import { type HistorySources, finish } from './historyResult';
import { type PromptSignal, isEnd, isEvent } from './signals';

/**
 * A followed prompt's public stream from its signals (shared by `run` and `watch`): the events
 * until the end, then the result from the history (a non-final end waits `SUCCESS_TO_END_GRACE_MS`
 * for the final marker), within the overall budget when there is one.
 * @param startedAt When following began (`scheduler.now()`), for `elapsedMs`.
 * @param timeoutMs Overall budget; past it the stream fails with `ComfyTimeoutError`.
 */
export function promptLife(
  signals$: Observable<PromptSignal>,
  promptId: string,
  history: HistorySources,
  startedAt: number,
  timeoutMs: number | undefined,
  scheduler: SchedulerLike,
): Observable<PromptEvent> {
  const life$ = signals$.pipe(
    connect((shared$) =>
      merge(
        shared$.pipe(takeWhile(isEvent)),
        shared$.pipe(
          filter(isEnd),
          firstFinal({ isFinal: (end) => end.final, graceMs: SUCCESS_TO_END_GRACE_MS, scheduler }),
          concatMap((end) => finish(promptId, end.outcome, history, startedAt)),
        ),
      ),
    ),
  );
  return timeoutMs === undefined ? life$ : life$.pipe(deadline({ budgetMs: timeoutMs, makeError: () => new ComfyTimeoutError(promptId, timeoutMs), scheduler }));
}
