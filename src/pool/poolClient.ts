import type { Observable } from 'rxjs';
import type { Workflow } from '../protocol/api';
import type { PromptEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import type { ComfyHttp } from '../transport/http';
import type { ObjectInfoCache } from '../objectInfo/objectInfoCache';
import type { CancelResult } from '../surfaces/cancelResult';
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
  /**
   * The API the server speaks (a `ComfyClient` tells). A `v2` server (Comfy Cloud, serverless,
   * comfy-api-proxy) has no `/object_info`, `/queue` or `/history`: the pool checks it with `ping`,
   * takes it to have every node class, and settles its failed prompts with `cancel` and `watch`.
   */
  resolveApi?(): Observable<'native' | 'v2'>;
  /** One cheap request proving the server answers. */
  ping?(): Observable<unknown>;
  /** Cancels a prompt and tells whether it stopped. */
  cancel?(promptId: string): Observable<CancelResult>;
  /** Follows a prompt submitted earlier. */
  watch?(promptId: string): Observable<PromptEvent>;
}
