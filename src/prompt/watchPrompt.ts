import { type Observable, concat, concatMap, connect, defer, first, map, merge, share, switchMap } from 'rxjs';
import { onAbandon } from '../operators/onAbandon';
import { lazy } from '../util/lazy';
import { type CheckFinding, checkTriggers, runChecks } from './checks';
import { isOpen, reconnectingSignals } from './connectionSignals';
import type { PromptEvent } from './events';
import { promptLife } from './promptLife';
import type { PromptDeps } from './promptDeps';
import { promptSources } from './promptSources';
import { type PreviewPolicy, previewPolicy, previewPolicyOption } from './previewPolicy';
import { withPhase } from './promptPhase';
import { isEnd } from './signals';
import { toPromptSignals } from './toPromptSignals';

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
 * Observable of {@link PromptEvent}, built from the same pieces as `runPrompt` (checks, phase,
 * history result), with the submission replaced by a first reconciliation. Once the shared socket
 * is open it starts from the server's truth: `/queue` (`waiting` with its position, or `started`),
 * `/history` (`done`, or the typed error at once); then it follows the live events that reach this
 * client and reconciles on every reconnect and every `stallWarnAfterMs` of silence, as `run()`
 * does. An id the server does not know errors with `ComfyPromptLostError`. Unsubscribing before
 * the end cancels the prompt on the server only with `cancelOnUnsubscribe`.
 */
export function watchPrompt(deps: PromptDeps, promptId: string, options: WatchOptions = {}): Observable<PromptEvent> {
  return defer(() => {
    const { scheduler } = deps;
    const log = lazy(() => deps.logger.child({ promptId }));
    const startedAt = scheduler.now();
    const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
    const { reconcile, history } = promptSources(deps, promptId);
    const previews = previewPolicyOption(options.previews);

    const signals$ = deps.connection$.pipe(
      connect((connection$) => {
        // The server's truth once the socket is open (live events from then on reach us): errors if it cannot be read.
        const truth$ = connection$.pipe(
          first(isOpen),
          concatMap(reconcile),
          map((verdict): CheckFinding => ({ type: 'verdict', verdict })),
          share(),
        );
        const inbox$ = deps.attach(promptId).pipe(share());
        const checks$ = truth$.pipe(
          switchMap(() => checkTriggers(inbox$, connection$, options.stallWarnAfterMs ?? deps.stallWarnAfterMs, scheduler)),
          runChecks(reconcile, log),
        );
        return merge(inbox$.pipe(toPromptSignals(promptId, () => undefined)), truth$, checks$, reconnectingSignals(connection$));
      }),
      withPhase(promptId),
      onAbandon({
        reached: isEnd,
        action: () => {
          if (!options.cancelOnUnsubscribe) return;
          concat(deps.http.deleteFromQueue([promptId]), deps.http.interrupt(promptId)).subscribe({
            complete: () => log().info('cancelled on the server'),
            error: (err: unknown) => log().debug({ err }, 'cancel skipped (the server is unreachable)'),
          });
        },
      }),
    );

    return promptLife(signals$, promptId, history, startedAt, timeoutMs, scheduler).pipe(previewPolicy(previews, scheduler));
  });
}
