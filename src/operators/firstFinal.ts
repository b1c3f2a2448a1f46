import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';

/** Configuration of {@link firstFinal}. */
export interface FirstFinalConfig<T> {
  /** Recognises a final value. */
  readonly isFinal: (value: T) => boolean;
  /** How long to wait for a final value after a non-final first one; must be >= 0. */
  readonly graceMs: number;
  /** Drives the grace timer. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emits one value, then completes: the source's first value if `isFinal` says it is final;
 * otherwise the first final value that follows within `graceMs`, or, when the grace runs out (or
 * the source completes first), that first value. Used for a prompt's end: `execution_success`
 * comes just before the history write, the final `executing null` right after it.
 * ```text
 * source: -a--F--     graceMs = 5, F final
 * result: ----(F|)
 * source: -a-------
 * result: ------(a|)
 * ```
 * @param config The final test, the grace and the scheduler.
 * @example ends$.pipe(firstFinal({ isFinal: (end) => end.final, graceMs: 100 }))
 */
export function firstFinal<T>(config: FirstFinalConfig<T>): MonoTypeOperatorFunction<T> {
  const { isFinal, graceMs, scheduler = asyncScheduler } = config;
  if (!(graceMs >= 0)) throw new RangeError(`graceMs must be >= 0 (got ${graceMs})`);
  return (source) =>
    new Observable<T>((subscriber) => {
      let first: { readonly value: T } | undefined;
      let grace: Subscription | undefined;
      const settle = (value: T): void => {
        subscriber.next(value);
        subscriber.complete();
      };
      const subscription = source.subscribe({
        next: (value) => {
          if (isFinal(value)) settle(value);
          else if (!first) {
            const held = (first = { value });
            grace = scheduler.schedule(() => settle(held.value), graceMs);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => (first ? settle(first.value) : subscriber.complete()),
      });
      return () => {
        grace?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
