import { Observable, type OperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';

/** Bounded exponential backoff with jitter. */
export interface BackoffPolicy {
  /** Delay before the first retry, ms. */
  readonly initialDelayMs: number;
  /** Cap of any delay, ms. */
  readonly maxDelayMs: number;
  /** Retries after which the error is final (0: never retry). */
  readonly maxAttempts: number;
  /** 0..1: each delay is shortened by a random part of up to this fraction (0 = no jitter). */
  readonly jitter: number;
}

/** Emitted before each retry, so subscribers can see the connection is being re-established. */
export interface ReconnectNotice {
  readonly kind: 'reconnecting';
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/**
 * Delay before retry number `attempt` (1-based): `min(maxDelayMs, initialDelayMs * 2^(attempt-1))`,
 * shortened by up to `jitter` of itself using `random()` (so clients that lost the same server do
 * not come back in lock-step).
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}

/**
 * Resubscribes to the source after it errors, with {@link backoffDelay} between attempts, and emits a
 * {@link ReconnectNotice} before each wait. The attempt count resets whenever a value passes
 * `isReady` (the connection is usable again). After `maxAttempts` failed retries the result errors
 * with `giveUp(lastError, attempts)`.
 * ```text
 * source (1st): -o-#           o = ready, initialDelayMs = 2, jitter = 0
 * source (2nd):     --#        (attempt 1, waits 2ms)
 * source (3rd):          ----o (attempt 2, waits 4ms, then ready again: count resets)
 * result:       -o-r-----r----o
 * ```
 * @param policy Delays and bound.
 * @param isReady Recognises the value that proves a connection works.
 * @param giveUp Builds the final error.
 * @param scheduler Drives the delays (virtual time in tests). Defaults to `asyncScheduler`.
 * @param random Jitter source, `Math.random` by default.
 * @example connect$.pipe(reconnectWithBackoff(policy, (e) => e.kind === 'open', (err, n) => new Error(`gave up after ${n}`)))
 */
export function reconnectWithBackoff<T>(
  policy: BackoffPolicy,
  isReady: (value: T) => boolean,
  giveUp: (lastError: unknown, attempts: number) => unknown,
  scheduler: SchedulerLike = asyncScheduler,
  random: () => number = Math.random,
): OperatorFunction<T, T | ReconnectNotice> {
  if (!(policy.maxAttempts >= 0) || !(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= 0) || !(policy.jitter >= 0 && policy.jitter <= 1)) {
    throw new RangeError(`Invalid backoff policy ${JSON.stringify(policy)}: delays and maxAttempts must be >= 0, jitter within 0..1`);
  }
  return (source) =>
    new Observable<T | ReconnectNotice>((subscriber) => {
      let attempt = 0;
      let current: Subscription | undefined;
      let wait: Subscription | undefined;
      const connect = (): void => {
        current = source.subscribe({
          next: (value) => {
            if (isReady(value)) attempt = 0;
            subscriber.next(value);
          },
          error: (error: unknown) => {
            attempt++;
            if (attempt > policy.maxAttempts) {
              subscriber.error(giveUp(error, attempt - 1));
              return;
            }
            const delayMs = backoffDelay(attempt, policy, random);
            subscriber.next({ kind: 'reconnecting', attempt, delayMs, error });
            wait = scheduler.schedule(connect, delayMs);
          },
          complete: () => subscriber.complete(),
        });
      };
      connect();
      return () => {
        wait?.unsubscribe();
        current?.unsubscribe();
      };
    });
}
