import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import { type BackoffPolicy, backoffDelay } from './reconnectWithBackoff';

/** {@link BackoffPolicy} plus a time budget: no retry starts later than `budgetMs` after the first subscription. */
export interface RetryBudget extends BackoffPolicy {
  /** Time (ms, from the first subscription) after which no retry starts. */
  readonly budgetMs: number;
}

/** One retry about to be made (for logs). */
export interface RetryAttempt {
  /** 1-based number of the retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** Why retrying stopped. */
export type RetryStop = 'attempts' | 'budget';

/** Configuration of {@link retryTransient}. */
export interface RetryTransientConfig {
  readonly policy: RetryBudget;
  /**
   * `undefined`: the error is final (not retried, passed on as it is). A number: the error is
   * transient and the server asked to wait at least that long (`Retry-After`; 0 when it did not say).
   */
  readonly transient: (error: unknown) => number | undefined;
  /** The error emitted once at least one retry was made and none may follow. */
  readonly giveUp: (lastError: unknown, retries: number, elapsedMs: number, stop: RetryStop) => unknown;
  /** Called before each wait (logging). */
  readonly onRetry?: (attempt: RetryAttempt) => void;
  /** Jitter source, `Math.random` by default. */
  readonly random?: () => number;
}

/**
 * Resubscribes to a source that failed with a transient error, after `max(backoffDelay(n), Retry-After)`
 * (bounded exponential backoff with jitter, the server's wish honoured), at most `maxAttempts`
 * times and never later than `budgetMs` after the first subscription. A final error passes
 * unchanged; so does a transient one when no retry was made (`maxAttempts: 0`, or a `Retry-After`
 * already beyond the budget). Once retries were made and none may follow, the result errors with
 * `giveUp(...)`. Values pass as they come; retrying stops mattering once the source has emitted
 * (a single-value request has then succeeded).
 * ```text
 * source (1st): -#                 t = transient, initialDelayMs = 2, jitter = 0
 * source (2nd):    -#              (retry 1 after 2ms)
 * source (3rd):          -a|       (retry 2 after 4ms)
 * result:       ----------a|
 * ```
 * @param config Policy, classification of errors, the final error and a logging hook.
 * @param scheduler Drives the waits and the budget clock. Defaults to `asyncScheduler`.
 * @example http.history(id).pipe(retryTransient({ policy, transient: (e) => (isTransient(e) ? 0 : undefined), giveUp: (e) => e }))
 */
export function retryTransient<T>(config: RetryTransientConfig, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
  const { policy, transient, giveUp, onRetry, random = Math.random } = config;
  if (!(policy.maxAttempts >= 0) || !(policy.initialDelayMs >= 0) || !(policy.maxDelayMs >= 0) || !(policy.budgetMs >= 0) || !(policy.jitter >= 0 && policy.jitter <= 1)) {
    throw new RangeError(`Invalid retry policy ${JSON.stringify(policy)}: delays, budgetMs and maxAttempts must be >= 0, jitter within 0..1`);
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      const startedAt = scheduler.now();
      let retries = 0;
      let current: Subscription | undefined;
      let wait: Subscription | undefined;
      const fail = (error: unknown, stop: RetryStop): void => {
        subscriber.error(retries === 0 ? error : giveUp(error, retries, scheduler.now() - startedAt, stop));
      };
      const subscribe = (): void => {
        current = source.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            const retryAfterMs = transient(error);
            if (retryAfterMs === undefined) {
              subscriber.error(error);
              return;
            }
            if (retries >= policy.maxAttempts) {
              fail(error, 'attempts');
              return;
            }
            const delayMs = Math.max(backoffDelay(retries + 1, policy, random), retryAfterMs);
            if (scheduler.now() - startedAt + delayMs > policy.budgetMs) {
              fail(error, 'budget');
              return;
            }
            retries++;
            onRetry?.({ attempt: retries, delayMs, error });
            wait = scheduler.schedule(subscribe, delayMs);
          },
          complete: () => subscriber.complete(),
        });
      };
      subscribe();
      return () => {
        wait?.unsubscribe();
        current?.unsubscribe();
      };
    });
}
