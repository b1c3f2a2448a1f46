import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';

/** Configuration of {@link keepLatest}. */
export interface KeepLatestConfig<T> {
  /** The key of a conflatable value (one held value per key), `undefined` for others. */
  readonly keyOf: (value: T) => string | undefined;
  /** How long a held value waits for a newer one, ms (>= 0). Default 0. */
  readonly windowMs?: number;
  /** Drives the waits. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Conflates bursts of disposable values (previews): a value for which `keyOf` gives a key is held
 * for `windowMs` (0: until the scheduler's next turn, i.e. until the subscriber has returned to the
 * event loop) and replaced by any newer value of the same key meanwhile; then the newest is
 * emitted. Every other value passes at once, never delayed (so held values may come after later
 * values). Held values still pending at completion or error are dropped: the end supersedes them.
 * ```text
 * source:   -a-pq-b-r---|       windowMs = 2; p, q, r have key 'x', a and b none
 * result:   -a---q-b--r-|
 * ```
 * @param config The key, the window and the scheduler.
 * @example events$.pipe(keepLatest({ keyOf: (e) => (e.type === 'preview' ? e.node ?? '' : undefined) }))
 */
export function keepLatest<T>(config: KeepLatestConfig<T>): MonoTypeOperatorFunction<T> {
  const { keyOf, windowMs = 0, scheduler = asyncScheduler } = config;
  if (!(windowMs >= 0)) throw new RangeError(`windowMs must be >= 0 (got ${windowMs})`);
  return (source) =>
    new Observable<T>((subscriber) => {
      const held = new Map<string, { value: T; flush: Subscription }>();
      const drop = () => {
        for (const { flush } of held.values()) flush.unsubscribe();
        held.clear();
      };
      const subscription = source.subscribe({
        next: (value) => {
          const key = keyOf(value);
          if (key === undefined) {
            subscriber.next(value);
            return;
          }
          const pending = held.get(key);
          if (pending) {
            pending.value = value;
            return;
          }
          const entry = {
            value,
            flush: scheduler.schedule(() => {
              held.delete(key);
              subscriber.next(entry.value);
            }, windowMs),
          };
          held.set(key, entry);
        },
        error: (error: unknown) => {
          drop();
          subscriber.error(error);
        },
        complete: () => {
          drop();
          subscriber.complete();
        },
      });
      return () => {
        drop();
        subscription.unsubscribe();
      };
    });
}
