import { type Observable, concatMap, connect, defer, first, map, merge, share, shareReplay, switchMap, throwError } from 'rxjs';
import { ComfyInvalidPromptError } from '../errors';
import { afterFirst } from '../operators/afterFirst';
import { onAbandon } from '../operators/onAbandon';
import { Workflow } from '../protocol/api';
import { formatIssues } from '../util/formatIssues';
import { lazy } from '../util/lazy';
import { checkTriggers, runChecks } from './checks';
import { isOpen, reconnectingSignals } from './connectionSignals';
import type { PromptEvent } from './events';
import { locatePrompt } from './locatePrompt';
import { previewPolicy, previewPolicyOption } from './previewPolicy';
import { promptLife } from './promptLife';
import { promptSources } from './promptSources';
import type { PromptDeps } from './promptDeps';
import { withPhase } from './promptPhase';
import { promptRequest } from './promptRequest';
import type { RunOptions } from './runOptions';
import { type PromptSignal, isEnd } from './signals';
import { promptSubmission } from './submission';
import { toPromptSignals } from './toPromptSignals';

export type { PromptDeps, PromptHttp } from './promptDeps';
export type { RunOptions } from './runOptions';

/**
 * One prompt's life as a cold Observable of {@link PromptEvent} (design.md, rules 1-6).
 *
 * Subscribing makes the prompt id, attaches to the prompt's message stream, waits for the shared
 * socket to be open, then posts the workflow. Events that arrive before the POST answer are held
 * and follow `queued`. The stream ends with `done` (outputs from `/history`) or a typed error.
 * Silence while running emits `stalled` and reconciles the prompt with `/queue` + `/history`; so
 * does every reconnect. Unsubscribing (or the `timeoutMs` budget) before the end cancels the
 * prompt on the server: `POST /queue {delete}`, then a targeted `POST /interrupt {prompt_id}`,
 * which never touches another client's prompt.
 */
export function runPrompt(deps: PromptDeps, workflow: unknown, options: RunOptions = {}): Observable<PromptEvent> {
  return defer(() => {
    // 1. Check the workflow before anything is sent.
    const checked = Workflow.safeParse(workflow);
    if (!checked.success) {
      const where = formatIssues(checked.error.issues);
      return throwError(() => new ComfyInvalidPromptError(`Invalid workflow: ${where}`, where, checked.error.issues));
    }
    const graph = checked.data;
    const previews = previewPolicyOption(options.previews);
    const promptId = options.promptId ?? deps.newPromptId();
    const { scheduler } = deps;
    const log = lazy(() => deps.logger.child({ promptId })); // most prompts never log
    const startedAt = scheduler.now();
    const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
    const { reconcile, history, reconcileSources } = promptSources(deps, promptId);

    // 2. The submission: the raw workflow is posted (see promptRequest), once; after a lost answer,
    //    again only if the server does not have it.
    const resubmit = deps.retry && { locate: () => locatePrompt(promptId, reconcileSources), policy: deps.retry, scheduler };
    const submission = promptSubmission(deps.http, promptRequest(workflow as Record<string, unknown>, deps.clientId, promptId, options), log, resubmit);

    // 3. The signals, over one subscription of the connection events: `queued` once posted on an
    //    open socket, then the live messages (held until then), the checks and the reconnects.
    const signals$ = deps.connection$.pipe(
      connect((connection$) => {
        const queued$ = connection$.pipe(
          first(isOpen),
          concatMap(() => submission.post()),
          map((response): PromptSignal => ({ type: 'queued', promptId, number: response.number, nodeErrors: response.node_errors })),
          shareReplay({ bufferSize: 1, refCount: true }),
        );
        const inbox$ = deps.attach(promptId).pipe(share());
        const live$ = inbox$.pipe(
          toPromptSignals(promptId, (node) => graph[node]?.class_type),
          afterFirst(queued$),
        );
        const checks$ = queued$.pipe(
          switchMap(() => checkTriggers(inbox$, connection$, options.stallWarnAfterMs ?? deps.stallWarnAfterMs, scheduler)),
          runChecks(reconcile, log),
        );
        return merge(live$, checks$, reconnectingSignals(connection$));
      }),
      withPhase(promptId),
      // 4. Leaving before the end cancels the prompt on the server.
      onAbandon({ reached: isEnd, action: () => submission.cancel() }),
    );

    // 5. The events until the end, then the result from the history, within the overall budget.
    return promptLife(signals$, promptId, history, startedAt, timeoutMs, scheduler).pipe(previewPolicy(previews, scheduler));
  });
}
