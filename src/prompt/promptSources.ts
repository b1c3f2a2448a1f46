import type { Observable } from 'rxjs';
import type { HistorySources } from './historyResult';
import type { PromptDeps } from './promptDeps';
import { type ReconcileSources, type ReconcileVerdict, reconcilePrompt } from './reconcile';

/** Where a followed prompt's state and result are read (one recipe for `run` and `watch`). */
export interface PromptSources {
  /** `/api/jobs/{id}` where the server has it, else `/queue` + `/history/{id}`. */
  readonly reconcileSources: ReconcileSources;
  /** One reconciliation of the prompt (see `reconcilePrompt`). */
  reconcile(): Observable<ReconcileVerdict>;
  /** Where its result is read once it ended. */
  readonly history: HistorySources;
}

/**
 * The sources of one prompt, from its client's deps: the jobs API is used when the client has it
 * (`ComfyHttp.job` learns once per client whether the server does), `/queue` + `/history` otherwise.
 * @example const { reconcile, history } = promptSources(deps, promptId);
 */
export function promptSources(deps: PromptDeps, promptId: string): PromptSources {
  const { http, scheduler } = deps;
  const reconcileSources: ReconcileSources = {
    queue$: deps.queue$,
    history: (id) => http.history(id),
    ...(http.job ? { job: (id: string) => http.job!(id) } : {}),
    recheckDelayMs: deps.recheckDelayMs,
    scheduler,
  };
  const reconcile = () => reconcilePrompt(promptId, reconcileSources);
  return { reconcileSources, reconcile, history: { history: reconcileSources.history, reconcile, scheduler } };
}
