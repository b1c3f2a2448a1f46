import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';

/** Configuration of {@link deadline}. */
export interface DeadlineConfig {
  /** Budget in ms from subscription; must be > 0. */
  readonly budgetMs: number;
  /** Builds the error sent when the budget is spent. */
  readonly makeError: () => unknown;
  /** Drives the clock. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Mirrors the source, but errors with `makeError()` if it has not completed (or errored) within
 * `budgetMs` of subscription. Unlike `timeout`, values do not reset the clock: it is an overall budget.
 * ```text
 * source: -a--b--c--      budgetMs = 6
 * result: -a--b-#
 * ```
 * @param config The budget, the error and the scheduler.
 * @example run$.pipe(deadline({ budgetMs: 600_000, makeError: () => new ComfyTimeoutError(id, 600_000) }))
 */
export function deadline<T>(config: DeadlineConfig): MonoTypeOperatorFunction<T> {
  const { budgetMs: ms, makeError, scheduler = asyncScheduler } = config;
  if (!(ms > 0)) throw new RangeError(`deadline must be > 0 ms (got ${ms})`);
  return (source) =>
    new Observable<T>((subscriber) => {
      const timer = scheduler.schedule(() => subscriber.error(makeError()), ms);
      const subscription = source.subscribe(subscriber);
      return () => {
        timer.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
