import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';

/** Configuration of {@link throttleLatest}. */
export interface ThrottleLatestConfig {
  /** Least time between two emissions, in ms; must be >= 0 (0 forwards every value). */
  readonly windowMs: number;
  /** Drives the clock and the window timer. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emits the first value at once, then at most one value per `windowMs`: the latest one seen in
 * the window, at the window's end. Unlike `throttleTime(..., { trailing: true })`, the pending
 * value is flushed **at once** when the source completes or errors, before the completion or the
 * error: the last value is never dropped nor held back (a job's final progress reaches Redis
 * before its result).
 * ```text
 * source: a 10ms b 10ms c 100ms d 10ms e|
 * result: a 49ms      c 72ms    d 11ms (e|)   windowMs = 50
 * ```
 * @param config The window and the scheduler.
 * @example events$.pipe(map(toProgress), throttleLatest({ windowMs: 250 })).subscribe((p) => job.updateProgress(p));
 */
export function throttleLatest<T>(config: ThrottleLatestConfig): MonoTypeOperatorFunction<T> {
  const { windowMs, scheduler = asyncScheduler } = config;
  if (!(windowMs >= 0) || !Number.isFinite(windowMs)) throw new RangeError(`windowMs must be a finite number >= 0 (got ${windowMs})`);
  return (source) =>
    new Observable<T>((subscriber) => {
      let pending: { value: T } | undefined;
      let window: Subscription | undefined;
      const open = (): void => {
        window = scheduler.schedule(() => {
          window = undefined;
          if (!pending) return;
          const { value } = pending;
          pending = undefined;
          subscriber.next(value);
          open();
        }, windowMs);
      };
      const flush = (): void => {
        window?.unsubscribe();
        window = undefined;
        if (!pending) return;
        const { value } = pending;
        pending = undefined;
        subscriber.next(value);
      };
      const subscription = source.subscribe({
        next: (value) => {
          if (window || windowMs === 0) {
            if (windowMs === 0) subscriber.next(value);
            else pending = { value };
            return;
          }
          subscriber.next(value);
          open();
        },
        error: (err: unknown) => {
          flush();
          subscriber.error(err);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        window?.unsubscribe();
        pending = undefined;
        subscription.unsubscribe();
      };
    });
}
