import { type MonoTypeOperatorFunction, type SchedulerLike, asyncScheduler, defer, retry, throwError, timer } from 'rxjs';
import { type BackoffPolicy, backoffDelay, checkBackoffPolicy } from './reconnectWithBackoff';

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
  /** Drives the waits and the budget clock. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Jitter source, `Math.random` by default. */
  readonly random?: () => number;
}

/**
 * Resubscribes to a source that failed with a transient error (RxJS's `retry` with a `delay`),
 * after `max(backoffDelay(n), Retry-After)` (bounded exponential backoff with jitter, the server's
 * wish honoured), at most `maxAttempts` times and never later than `budgetMs` after the first
 * subscription. A final error passes unchanged; so does a transient one when no retry was made
 * (`maxAttempts: 0`, or a `Retry-After` already beyond the budget). Once retries were made and
 * none may follow, the result errors with `giveUp(...)`. Values pass as they come; retrying stops
 * mattering once the source has emitted (a single-value request has then succeeded).
 * ```text
 * source (1st): -#                 t = transient, initialDelayMs = 2, jitter = 0
 * source (2nd):    -#              (retry 1 after 2ms)
 * source (3rd):          -a|       (retry 2 after 4ms)
 * result:       ----------a|
 * ```
 * @param config Policy, classification of errors, the final error, a logging hook, scheduler and jitter source.
 * @example http.history(id).pipe(retryTransient({ policy, transient: (e) => (isTransient(e) ? 0 : undefined), giveUp: (e) => e }))
 */
export function retryTransient<T>(config: RetryTransientConfig): MonoTypeOperatorFunction<T> {
  const { policy, transient, giveUp, onRetry, scheduler = asyncScheduler, random = Math.random } = config;
  checkBackoffPolicy(policy, 'retry');
  return (source) =>
    defer(() => {
      const startedAt = scheduler.now();
      const stop = (error: unknown, retries: number, why: RetryStop) =>
        throwError(() => (retries === 0 ? error : giveUp(error, retries, scheduler.now() - startedAt, why)));
      return source.pipe(
        retry({
          delay: (error: unknown, attempt: number) => {
            const retryAfterMs = transient(error);
            if (retryAfterMs === undefined) return throwError(() => error);
            const retries = attempt - 1;
            if (retries >= policy.maxAttempts) return stop(error, retries, 'attempts');
            const delayMs = Math.max(backoffDelay(attempt, policy, random), retryAfterMs);
            if (scheduler.now() - startedAt + delayMs > policy.budgetMs) return stop(error, retries, 'budget');
            onRetry?.({ attempt, delayMs, error });
            return timer(delayMs, scheduler);
          },
        }),
      );
    });
}
