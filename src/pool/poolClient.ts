import type { Observable } from 'rxjs';
import type { Workflow } from '../protocol/api';
import type { PromptEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import type { ComfyHttp } from '../transport/http';
import type { ObjectInfoCache } from '../objectInfo/objectInfoCache';
import type { ToApiPromptResult } from '../workflow/convert/toApiPrompt';

/** The REST calls the pool makes itself: capabilities, health probes, and checks after a failure. */
export type PoolHttp = Pick<ComfyHttp, 'objectInfo' | 'systemStats' | 'history' | 'queue' | 'deleteFromQueue' | 'interrupt'>;

/**
 * What the pool needs from one server's client. A `ComfyClient` fits; tests pass fakes made of
 * cold observables.
 */
export interface PoolClient {
  /** The server's base URL without credentials (the default server name). */
  readonly url: string;
  /** One prompt's life, cold (subscribing submits, unsubscribing cancels). */
  run(workflow: Workflow | Record<string, unknown>, options?: RunOptions): Observable<PromptEvent>;
  /** `queue_remaining` of the server's status broadcasts; subscribing holds the socket. */
  readonly queueRemaining$: Observable<number>;
  readonly http: PoolHttp;
  /** The server's `/object_info` cache (a `ComfyClient` has one); the pool shares it, else keeps its own over `http.objectInfo`. */
  readonly objectInfo?: ObjectInfoCache;
  /** Converts a UI workflow with this server's `/object_info` (a `ComfyClient` has it; batches over UI templates need it). */
  toApiPrompt?(workflow: unknown): Observable<ToApiPromptResult>;
}
