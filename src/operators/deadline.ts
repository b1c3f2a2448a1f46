import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, asyncScheduler } from 'rxjs';

/**
 * Mirrors the source, but errors with `makeError()` if it has not completed (or errored) within
 * `ms` of subscription. Unlike `timeout`, values do not reset the clock: it is an overall budget.
 * ```text
 * source: -a--b--c--      ms = 6
 * result: -a--b-#
 * ```
 * @param ms Budget in ms; must be > 0.
 * @param makeError Builds the error sent when the budget is spent.
 * @param scheduler Drives the clock. Defaults to `asyncScheduler`.
 * @example run$.pipe(deadline(600_000, () => new ComfyTimeoutError(id, 600_000)))
 */
export function deadline<T>(ms: number, makeError: () => unknown, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
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
