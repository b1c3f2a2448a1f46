import type { Subscriber, Subscription } from 'rxjs';
import type { Workflow } from '../protocol/api';
import type { RunOptions } from '../prompt/runOptions';
import type { DispatchedEvent, PoolEvent } from './events';
import type { PoolServer } from './poolServer';

/** One `pool.run` subscription, as placement and failover see it. */
export interface PoolJob {
  readonly workflow: Workflow | Record<string, unknown>;
  readonly options: RunOptions;
  readonly needs: readonly string[];
  readonly subscriber: Subscriber<PoolEvent>;
  readonly startedAt: number;
  /** Submissions so far (1 = the first). */
  attempt: number;
  /** Where it runs (or last ran). */
  server: PoolServer | undefined;
  /** Holds a slot on `server`. */
  placed: boolean;
  /** The server accepted the current submission (`queued`). */
  accepted: boolean;
  /** The current run, or the check after a failure. */
  work: Subscription;
  resubmittedAfter: DispatchedEvent['resubmittedAfter'];
}
