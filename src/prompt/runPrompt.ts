import { Observable } from 'rxjs';
import { ComfyInvalidPromptError } from '../errors';
import { parseWorkflow } from '../protocol/parseWorkflow';
import { formatIssues } from '../util/formatIssues';
import { lazy } from '../util/lazy';
import type { PromptEvent } from './events';
import { locatePrompt } from './locatePrompt';
import { promptIdOption } from './promptIdOption';
import { previewPolicy, previewPolicyOption } from './previewPolicy';
import { followPrompt } from './promptMachine';
import { promptSources } from './promptSources';
import type { PromptDeps } from './promptDeps';
import { promptRequest } from './promptRequest';
import type { RunOptions } from './runOptions';
import { promptSubmission } from './submission';

export type { PromptDeps, PromptHttp } from './promptDeps';
export type { RunOptions } from './runOptions';

/**
 * One prompt's life as a cold Observable of {@link PromptEvent} (docs/protocol.md, rules 1-6 and 9).
 *
 * Subscribing makes the prompt id, attaches to the prompt's message stream, waits for the shared
 * socket to be open, then posts the workflow. Events that arrive before the POST answer are held
 * and follow `queued`. The stream ends with `done` (outputs from `/history`) or a typed error.
 * Silence while running emits `stalled` and reconciles the prompt with `/queue` + `/history`; so
 * does every reconnect. Unsubscribing (or the `timeoutMs` budget) before the end cancels the
 * prompt on the server: `POST /queue {delete}`, then a targeted `POST /interrupt {prompt_id}`,
 * which never touches another client's prompt. The life itself is one state machine per prompt
 * (see `followPrompt`).
 */
export function runPrompt(deps: PromptDeps, workflow: unknown, options: RunOptions = {}): Observable<PromptEvent> {
  return new Observable<PromptEvent>((subscriber) => {
    // 1. Check the workflow before anything is sent.
    const checked = parseWorkflow(workflow);
    if (!checked.success) {
      const where = formatIssues(checked.error.issues);
      subscriber.error(new ComfyInvalidPromptError(`Invalid workflow: ${where}`, where, checked.error.issues));
      return undefined;
    }
    const previews = previewPolicyOption(options.previews);
    const promptId = promptIdOption(options.promptId) ?? deps.newPromptId();
    const { scheduler } = deps;
    const log = lazy(() => deps.logger.child({ promptId })); // most prompts never log

    // 2. The submission: the raw workflow is posted (see promptRequest), once; after a lost answer,
    //    again only if the server does not have it.
    const resubmit = deps.retry && { locate: () => locatePrompt(promptId, promptSources(deps, promptId).reconcileSources), policy: deps.retry, scheduler };
    const submission = promptSubmission(deps.http, promptRequest(workflow as Record<string, unknown>, deps.clientId, promptId, options), log, resubmit);

    // 3. The life: posted on an open socket, followed to its end; leaving before the end cancels it on the server.
    const life$ = followPrompt({
      deps,
      promptId,
      start: { kind: 'post', submission },
      graph: checked.data,
      stallWarnAfterMs: options.stallWarnAfterMs ?? deps.stallWarnAfterMs,
      timeoutMs: options.timeoutMs ?? deps.timeoutMs,
      log,
    });
    return (previews === 'all' ? life$ : life$.pipe(previewPolicy(previews, scheduler))).subscribe(subscriber);
  });
}
