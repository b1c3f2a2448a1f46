/** Named defaults. Every number the library uses without being told lives here. */

/** Silence (ms) while a prompt runs before a `stalled` warning and a reconciliation. */
export const DEFAULT_STALL_WARN_MS = 30_000;
/** Reconnect policy of the shared socket. */
export const DEFAULT_RECONNECT = { initialDelayMs: 250, maxDelayMs: 10_000, maxAttempts: 8, jitter: 0.3 } as const;
/** How long the socket stays open after its last subscriber left (lets sequential awaits share it). */
export const DEFAULT_LINGER_MS = 500;
/** Time allowed between the socket upgrade and the server's first `status` (with `sid`). */
export const DEFAULT_OPEN_TIMEOUT_MS = 10_000;
/** Client pings: the server never pings, so a half-open TCP connection is found only by us. */
export const DEFAULT_PING_INTERVAL_MS = 20_000;
/**
 * Retries of idempotent HTTP reads (every GET) on network errors, timeouts, 429 and 5xx: 250 ms,
 * 500 ms, 1 s, 2 s, 4 s (each shortened by up to 30 %), and none that would start later than 30 s
 * after the first attempt.
 */
export const DEFAULT_RETRY = { initialDelayMs: 250, maxDelayMs: 5_000, maxAttempts: 5, jitter: 0.3, budgetMs: 30_000 } as const;
/** Timeout of one JSON HTTP call (not of `/view` downloads once their headers arrived). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/**
 * `execution_success` precedes the history write; the final `executing null` follows it at once.
 * Past this wait after `execution_success` (the final marker lost), `/history` is read anyway.
 */
export const SUCCESS_TO_END_GRACE_MS = 100;
/**
 * After a prompt's end marker, `/history/{id}` may still be `{}` for a moment: delays (ms) of the
 * re-reads before the prompt is reconciled against `/queue` instead.
 */
export const HISTORY_REREAD_DELAYS_MS = [25, 50, 100, 200, 400, 800] as const;
/** Largest WebSocket frame accepted (full-size `SaveImageWebsocket` PNGs can be tens of MB). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** Characters of an HTTP error body kept in `ComfyHttpError.bodyExcerpt`. */
export const BODY_EXCERPT_CHARS = 300;
/** The flags we announce as our first frame on every (re)connect (docs/protocol.md rule 7). */
export const CLIENT_FEATURE_FLAGS = { supports_preview_metadata: true } as const;
/** After a cancel, the prompt is looked at again after each of these delays (ms) until it stopped: about 3 s in all. */
export const CANCEL_VERIFY_DELAYS_MS = [100, 200, 400, 800, 1_500] as const;
