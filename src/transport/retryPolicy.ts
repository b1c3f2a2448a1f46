import { z } from 'zod';
import { DEFAULT_RETRY } from '../constants';
import { ComfyConnectionError, ComfyHttpError } from '../errors';
import type { SameShape } from '../util/sameShape';

/**
 * The `retry` option of `ComfyClient` and `ComfyHttp`: how idempotent reads (every `GET`: `/history`,
 * `/queue`, `/object_info`, `/system_stats`, `/api/jobs`, `/view`) are retried. `POST`s never are.
 * Every key is optional (defaults: {@link DEFAULT_RETRY}); `{ maxAttempts: 0 }` turns retries off.
 */
export interface RetryOptions {
  /** Wait before the first retry, ms (doubled for each next one). */
  readonly initialDelayMs?: number;
  /** Cap of one wait, ms. */
  readonly maxDelayMs?: number;
  /** Retries after the first attempt, at most. */
  readonly maxAttempts?: number;
  /** 0..1: each wait is shortened by a random part of up to this fraction. */
  readonly jitter?: number;
  /** No retry starts later than this after the first attempt, ms (the per-call budget). */
  readonly budgetMs?: number;
}

/** Validates {@link RetryOptions}. */
export const RetryOptionsSchema = z
  .object({
    initialDelayMs: z.number().nonnegative(),
    maxDelayMs: z.number().nonnegative(),
    maxAttempts: z.number().int().nonnegative(),
    jitter: z.number().min(0).max(1),
    budgetMs: z.number().nonnegative(),
  })
  .partial()
  .strict();
true satisfies SameShape<RetryOptions, z.input<typeof RetryOptionsSchema>>;

/** {@link RetryOptions} over the defaults: every key set. */
export type RetryPolicy = Required<RetryOptions>;

/** The options over the defaults. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, ...options };
}

/** Statuses a server or a proxy in front of it answers while struggling: worth asking again. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * `undefined` for an error retrying cannot mend (4xx other than 429, a body of the wrong shape);
 * for a transient one (no answer, reset, timeout, 429, 500, 502, 503, 504) the wait the server
 * asked for (`Retry-After`, ms; 0 when it did not say).
 */
export function transientWait(error: unknown): number | undefined {
  if (error instanceof ComfyHttpError) return TRANSIENT_STATUSES.has(error.status) ? (error.retryAfterMs ?? 0) : undefined;
  return error instanceof ComfyConnectionError ? 0 : undefined;
}

/** `Retry-After` (delay-seconds or an HTTP date) as ms from `now`; `undefined` when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
