import { type Observable, defer } from 'rxjs';
import { lazy } from '../util/lazy';
import type { PromptEvent } from './events';
import type { PromptDeps } from './promptDeps';
import { followPrompt } from './promptMachine';
import { type PreviewPolicy, previewPolicy, previewPolicyOption } from './previewPolicy';

/** Options of `ComfyClient.watch`. */
export interface WatchOptions {
  /** Unsubscribing before the end cancels the prompt on the server. Default false: `watch` did not submit it. */
  readonly cancelOnUnsubscribe?: boolean;
  /** Overall budget (ms) from the subscription: past it the stream fails with `ComfyTimeoutError` (cancelling only with `cancelOnUnsubscribe`). */
  readonly timeoutMs?: number;
  /** Silence (ms) before a `stalled` warning and a reconciliation; overrides the client's. */
  readonly stallWarnAfterMs?: number;
  /** Preview backpressure, as for `run` (see `RunOptions.previews`). */
  readonly previews?: PreviewPolicy;
}

/**
 * A prompt submitted earlier (by this process before a restart, or by another) as a cold
 * Observable of {@link PromptEvent}, followed by the same state machine as `runPrompt` (checks,
 * phase, history result), with the submission replaced by a first reconciliation. Once the shared
 * socket is open it starts from the server's truth: `/queue` (`waiting` with its position, or
 * `started`), `/history` (`done`, or the typed error at once); then it follows the live events that
 * reach this client and reconciles on every reconnect and every `stallWarnAfterMs` of silence, as
 * `run()` does. An id the server does not know errors with `ComfyPromptLostError`. Unsubscribing
 * before the end cancels the prompt on the server only with `cancelOnUnsubscribe`.
 */
export function watchPrompt(deps: PromptDeps, promptId: string, options: WatchOptions = {}): Observable<PromptEvent> {
  return defer(() => {
    const previews = previewPolicyOption(options.previews);
    const life$ = followPrompt({
      deps,
      promptId,
      start: { kind: 'reconcile', cancelOnAbandon: options.cancelOnUnsubscribe ?? false },
      graph: undefined,
      stallWarnAfterMs: options.stallWarnAfterMs ?? deps.stallWarnAfterMs,
      timeoutMs: options.timeoutMs ?? deps.timeoutMs,
      log: lazy(() => deps.logger.child({ promptId })),
    });
    return life$.pipe(previewPolicy(previews, deps.scheduler));
  });
}
