import type { PromptEvent } from '../prompt/events';
import type { ProgressView } from './progressView';

/**
 * What {@link nextProgress} folds: the view people see and what it is computed from. Immutable;
 * start one with {@link startProgress}.
 */
export interface ProgressTrack {
  readonly view: ProgressView;
  /** Nodes counted as finished (cached or executed): the `nodesDone`. */
  readonly finished: ReadonlySet<string>;
  /** Fraction (0..1) of the running node, from its last `progress`. */
  readonly nodeFraction: number;
  /** The workflow's nodes, when known: only they count towards the percent. */
  readonly nodes?: ReadonlySet<string>;
  /** The whole prompt's 100%, in nodes, when known. */
  readonly total?: number;
  /** `final`: {@link view} is the last one (done or failed); `closed`: the events ended without one. */
  readonly end?: 'final' | 'closed';
}

/** One thing that moves a {@link ProgressTrack}, stamped with the time since the view stream began. */
export type ProgressInput =
  /** An event of the prompt. */
  | { readonly type: 'event'; readonly event: PromptEvent; readonly elapsedMs: number }
  /** The prompt's stream failed: a final `failed` view. */
  | { readonly type: 'error'; readonly error: Error; readonly elapsedMs: number }
  /** The prompt's stream completed without `done`: no view, the track is closed. */
  | { readonly type: 'end' }
  /** Time passed (the elapsed time shows in silence). */
  | { readonly type: 'tick'; readonly elapsedMs: number }
  /** The server's queue length. */
  | { readonly type: 'queue'; readonly remaining: number; readonly elapsedMs: number };

/**
 * The track of a prompt not yet submitted: a `submitting` view at 0 ms, its node count from
 * `workflow` (or `totalNodes`).
 * @throws RangeError when `totalNodes` is not a positive integer.
 * @example scan(nextProgress, startProgress({ workflow }))
 */
export function startProgress(options: { readonly workflow?: Readonly<Record<string, unknown>>; readonly totalNodes?: number } = {}): ProgressTrack {
  if (options.totalNodes !== undefined && !(Number.isInteger(options.totalNodes) && options.totalNodes > 0)) {
    throw new RangeError(`totalNodes must be a positive integer (got ${options.totalNodes})`);
  }
  const nodes = options.workflow ? new Set(Object.keys(options.workflow)) : undefined;
  const total = nodes ? nodes.size || undefined : options.totalNodes;
  return {
    view: { state: 'submitting', nodesDone: 0, queue: {}, elapsedMs: 0, reconnects: 0, ...(total ? { nodesTotal: total, percent: 0 } : {}) },
    finished: new Set(),
    nodeFraction: 0,
    ...(nodes ? { nodes } : {}),
    ...(total ? { total } : {}),
  };
}
