import type { BackoffPolicy } from '../operators/reconnectWithBackoff';

/** Prompts the pool keeps on one server at once: one running, one queued behind it (no idle gap between prompts). */
export const DEFAULT_MAX_CONCURRENT_PER_SERVER = 2;
/** Health probes of a failed server: 1 s, 2 s, 4 s... up to 30 s, 10 probes before it counts as dead. */
export const DEFAULT_POOL_HEALTH: BackoffPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: 10, jitter: 0.3 };
/** Resubmissions of one prompt after server failures before its last error is final. */
export const DEFAULT_MAX_RESUBMITS = 3;
/** Wait between checks of a prompt on a failed server (see settleAbandoned). */
export const DEFAULT_POOL_RECHECK_DELAY_MS = 250;
/** Cancel-and-check rounds on a failed server before a prompt still there is given up. */
export const SETTLE_MAX_ROUNDS = 3;
