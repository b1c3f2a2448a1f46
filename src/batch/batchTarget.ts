import { EMPTY, type Observable, catchError, ignoreElements } from 'rxjs';
import type { ComfyClient } from '../client';
import type { ViewSource } from '../outputs/saveOutputs';
import type { Workflow } from '../protocol/api';
import type { DoneEvent, PromptEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import type { ToApiPromptResult } from '../workflow/convert/toApiPrompt';

/**
 * Where a batch runs its prompts: a {@link ComfyClient} (see {@link clientTarget}), or a pool of
 * servers that picks one per prompt.
 */
export interface BatchTarget {
  /** Runs one prompt (cold; unsubscribing cancels it), like `ComfyClient.run`. */
  run(workflow: Workflow, options?: RunOptions): Observable<PromptEvent>;
  /** The HTTP API of the server that ran `done` (its outputs are downloaded from there). */
  httpFor(done: DoneEvent): ViewSource;
  /**
   * Held (subscribed) for the batch's whole life so the socket(s) stay open between items; its
   * values are ignored. An error ends the hold only (the items report their own failures).
   */
  hold(): Observable<unknown>;
  /** Converts a UI-format template with the server's `/object_info` (needed for UI templates only). */
  toApiPrompt?(workflow: unknown): Observable<ToApiPromptResult>;
}

/** The parts of a client a batch uses (`toApiPrompt` for UI-format templates). */
export type BatchClient = Pick<ComfyClient, 'run' | 'http' | 'connection$'> & Partial<Pick<ComfyClient, 'toApiPrompt'>>;

/** A client as a {@link BatchTarget}: its one shared socket is held by subscribing to `connection$`. */
export function clientTarget(client: BatchClient): BatchTarget {
  return {
    run: (workflow, options) => client.run(workflow, options),
    httpFor: () => client.http,
    hold: () =>
      client.connection$.pipe(
        ignoreElements(),
        catchError(() => EMPTY),
      ),
    ...(client.toApiPrompt ? { toApiPrompt: client.toApiPrompt.bind(client) } : {}),
  };
}

/** Something that can act as a {@link BatchTarget}, such as a `ComfyPool`. */
export interface BatchTargetSource {
  asBatchTarget(): BatchTarget;
}

/** Whether a value has `asBatchTarget()` (a `ComfyPool`). */
export const isBatchTargetSource = (value: unknown): value is BatchTargetSource => typeof (value as Partial<BatchTargetSource> | null | undefined)?.asBatchTarget === 'function';

/** A client, a pool or a target, as a {@link BatchTarget}. */
export function toBatchTarget(target: BatchClient | BatchTarget | BatchTargetSource): BatchTarget {
  return isBatchTargetSource(target) ? target.asBatchTarget() : isBatchTarget(target) ? target : clientTarget(target);
}

/** Tells a {@link BatchTarget} from a client. */
export function isBatchTarget(value: unknown): value is BatchTarget {
  const target = value as Partial<BatchTarget> | null | undefined;
  return typeof target?.run === 'function' && typeof target.httpFor === 'function' && typeof target.hold === 'function';
}

/** Looks like a {@link ComfyClient} (has `run`, `http` and `connection$`). */
export function isBatchClient(value: unknown): value is BatchClient {
  const client = value as Partial<BatchClient> | null | undefined;
  return typeof client?.run === 'function' && typeof client.http?.view === 'function' && typeof client.connection$?.subscribe === 'function';
}
