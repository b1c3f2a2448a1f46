import type { Workflow } from '../protocol/api';

/** What a strategy sees of one server (a snapshot, taken when a prompt is placed). */
export interface PoolServerView {
  /** The server's name in the pool. */
  readonly name: string;
  /** Its base URL without credentials. */
  readonly url: string;
  /** Position in the pool's server list (0-based). */
  readonly index: number;
  /** Prompts this pool has placed there and not seen finish. */
  readonly inFlight: number;
  /** The server's last reported `queue_remaining` (0 until its first status message). */
  readonly queueRemaining: number;
  /** The most prompts this pool keeps there at once. */
  readonly maxConcurrent: number;
  /**
   * Estimated work there: `inFlight + max(0, queueRemaining - accepted)`, i.e. this pool's prompts
   * plus the other clients' prompts the server reports (ours that it already counts are not
   * counted twice).
   */
  readonly load: number;
}

/** What a strategy is told about the prompt being placed. */
export interface PlacementRequest {
  readonly workflow: Workflow | Record<string, unknown>;
  /** 1 for the first submission, 2+ for resubmissions. */
  readonly attempt: number;
}

/**
 * Picks the server for a prompt among `candidates`: servers that are up, have every node class the
 * workflow needs and a free slot (never empty when called). Returns one of them (or its name).
 */
export type PoolStrategyFn = (candidates: readonly PoolServerView[], request: PlacementRequest) => PoolServerView | string;

/** A built-in strategy's name (`in-order`: overflow, see `inOrder`), or the caller's function. */
export type PoolStrategy = 'least-loaded' | 'round-robin' | 'in-order' | PoolStrategyFn;
