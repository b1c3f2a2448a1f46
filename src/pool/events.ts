import type { PromptEvent } from '../prompt/events';

/** A server was chosen for the prompt (again, after a resubmission: `attempt` > 1). */
export interface DispatchedEvent {
  readonly type: 'dispatched';
  /** The chosen server's name. */
  readonly server: string;
  /** 1 for the first submission, then 2, 3... for each resubmission. */
  readonly attempt: number;
  /** On a resubmission: the server that failed and how. */
  readonly resubmittedAfter?: { readonly server: string; readonly error: Error };
}

/** A {@link PromptEvent} tagged with the server it came from. */
export type ServerPromptEvent = PromptEvent & { readonly server: string };

/** What `ComfyPool.run` emits: `dispatched`, then the chosen server's prompt events, each with `server`. */
export type PoolEvent = ServerPromptEvent | DispatchedEvent;

/** The `done` event of a pool run (carries the server whose outputs it lists). */
export type PoolDoneEvent = Extract<ServerPromptEvent, { type: 'done' }>;
