import { Observable, type OperatorFunction, type SchedulerLike, asyncScheduler, retry, tap, throwError, timer } from 'rxjs';

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

/** Configuration of {@link reconnectWithBackoff}. */
export interface ReconnectWithBackoffConfig<T> {
  /** Delays and bound. */
  readonly policy: BackoffPolicy;
  /** Recognises the value that proves a connection works (the attempt count then resets). */
  readonly isReady: (value: T) => boolean;
  /** Builds the final error from the last failure and the retries made. */
  readonly giveUp: (lastError: unknown, attempts: number) => unknown;
  /** Drives the delays (virtual time in tests). Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Jitter source, `Math.random` by default. */
  readonly random?: () => number;
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

/** Throws a RangeError naming the policy when a delay or bound is negative or the jitter is outside 0..1. */
export function checkBackoffPolicy(policy: BackoffPolicy & { readonly budgetMs?: number }, what: string): void {
  const { maxAttempts, initialDelayMs, maxDelayMs, jitter, budgetMs = 0 } = policy;
  if (!(maxAttempts >= 0) || !(initialDelayMs >= 0) || !(maxDelayMs >= 0) || !(budgetMs >= 0) || !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(`Invalid ${what} policy ${JSON.stringify(policy)}: delays${'budgetMs' in policy ? ', budgetMs' : ''} and maxAttempts must be >= 0, jitter within 0..1`);
  }
}

/**
 * Resubscribes to the source after it errors (RxJS's `retry` with a `delay`), waiting
 * {@link backoffDelay} between attempts, and emits a {@link ReconnectNotice} before each wait.
 * The attempt count resets whenever a value passes `isReady` (the connection is usable again), not
 * on any value as `retry`'s `resetOnSuccess` would: a server that sends one frame and drops must
 * still exhaust the bound. After `maxAttempts` failed retries the result errors with
 * `giveUp(lastError, attempts)`.
 * ```text
 * source (1st): -o-#           o = ready, initialDelayMs = 2, jitter = 0
 * source (2nd):     --#        (attempt 1, waits 2ms)
 * source (3rd):          ----o (attempt 2, waits 4ms, then ready again: count resets)
 * result:       -o-r-----r----o
 * ```
 * @param config Policy, the ready test, the final error, scheduler and jitter source.
 * @example connect$.pipe(reconnectWithBackoff({ policy, isReady: (e) => e.kind === 'open', giveUp: (err, n) => new Error(`gave up after ${n}`) }))
 */
export function reconnectWithBackoff<T>(config: ReconnectWithBackoffConfig<T>): OperatorFunction<T, T | ReconnectNotice> {
  const { policy, isReady, giveUp, scheduler = asyncScheduler, random = Math.random } = config;
  checkBackoffPolicy(policy, 'backoff');
  return (source) =>
    new Observable<T | ReconnectNotice>((subscriber) => {
      let attempt = 0;
      return source
        .pipe(
          tap((value) => {
            if (isReady(value)) attempt = 0;
          }),
          retry({
            delay: (error: unknown) => {
              attempt++;
              if (attempt > policy.maxAttempts) return throwError(() => giveUp(error, attempt - 1));
              const delayMs = backoffDelay(attempt, policy, random);
              subscriber.next({ kind: 'reconnecting', attempt, delayMs, error });
              return timer(delayMs, scheduler);
            },
          }),
        )
        .subscribe(subscriber);
    });
}
