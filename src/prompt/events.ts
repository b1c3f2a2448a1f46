import type { NodeErrors } from '../protocol/api';
import type { NodeOutput } from '../protocol/messages';

/**
 * What `ComfyClient.run` emits for one prompt, discriminated by `type` (docs/architecture.md, public contract).
 * The stream completes right after `done`, or errors with a typed error.
 */
export type PromptEvent =
  /**
   * The server accepted the prompt (`POST /prompt` 200). `nodeErrors`: outputs it dropped, if any.
   * `inputs`: the stored names the run's input files became (`{ '<node id>.inputs.<name>': value }`),
   * when it had any (`inputFile` handles, the `inputs` option). `jobId`: the server's job id (Comfy
   * API v2; the native server uses `promptId`).
   */
  | {
      readonly type: 'queued';
      readonly promptId: string;
      readonly number: number;
      readonly nodeErrors: NodeErrors;
      readonly inputs?: Readonly<Record<string, string>>;
      readonly jobId?: string;
    }
  /** Still waiting in the server's queue: `ahead` prompts (running one included) come first. */
  | { readonly type: 'waiting'; readonly ahead: number }
  /** The server started executing it. */
  | { readonly type: 'started'; readonly promptId: string }
  /** Nodes served from the server's cache in this run. */
  | { readonly type: 'cached'; readonly nodes: readonly string[] }
  /** A node starts; `classType` from the submitted workflow. */
  | { readonly type: 'executing'; readonly node: string; readonly classType?: string }
  /** Progress of the running node (`percent` = 100 * value / max). */
  | {
      readonly type: 'progress';
      readonly node: string | undefined;
      readonly value: number;
      readonly max: number;
      readonly percent: number;
      /** Fraction 0..1 of the whole prompt when the server computes one (Comfy API v2); never decreases. */
      readonly overall?: number;
    }
  /** A preview image (sampler preview, or `SaveImageWebsocket` output). */
  | { readonly type: 'preview'; readonly node?: string; readonly mime: string; readonly data: Buffer }
  /** A node produced UI output (live feedback; `done.outputs` is the authoritative list). */
  | { readonly type: 'executed'; readonly node: string; readonly output: NodeOutput | null }
  /** A node was blocked (non-fatal `ExecutionBlocked`): the run goes on. */
  | { readonly type: 'blocked'; readonly node: string; readonly message: string }
  /** No message for `silentMs` while the prompt runs: a warning, the prompt is being reconciled. */
  | { readonly type: 'stalled'; readonly silentMs: number }
  /** The shared socket dropped; it reconnects after `delayMs` (attempt `attempt`). */
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  /** The shared socket is back; the prompt is being reconciled with the server. */
  | { readonly type: 'reconnected' }
  /** Finished: `outputs` from `/history` (the source of truth), time since subscription. */
  | DoneEvent;

export interface DoneEvent {
  readonly type: 'done';
  readonly promptId: string;
  readonly outputs: Readonly<Record<string, NodeOutput>>;
  readonly elapsedMs: number;
  /** The server's job id (Comfy API v2). */
  readonly jobId?: string;
}

export type PromptEventType = PromptEvent['type'];
