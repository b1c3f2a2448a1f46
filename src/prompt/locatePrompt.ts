import { type Observable, map } from 'rxjs';
import type { PromptResponse } from '../protocol/api';
import { type ReconcileSources, reconcilePrompt } from './reconcile';

/** The `number` of a located prompt whose queue number the server did not tell. */
export const UNKNOWN_NUMBER = -1;

/**
 * After a `POST /prompt` whose answer was lost (a reset, a timeout, a 5xx from the server or a proxy
 * in front of it), asks the server whether it has the prompt, by its id (ours): emits the answer the
 * POST would have given when it is pending, running or finished there, `undefined` when the server
 * does not have it (looked twice, `recheckDelayMs` apart, as `reconcilePrompt` does). Read errors
 * (past their own retries) pass through: then nobody knows, and nothing must be posted again.
 * ```text
 * sources: -v|          v = pending in /queue (number 7)
 * result:  -a|          a = { prompt_id, number: 7, node_errors: {} }
 * ```
 * @example locatePrompt(promptId, sources).pipe(concatMap((found) => (found ? of(found) : post())))
 */
export function locatePrompt(promptId: string, sources: ReconcileSources): Observable<PromptResponse | undefined> {
  return reconcilePrompt(promptId, sources).pipe(
    map((verdict): PromptResponse | undefined => {
      switch (verdict.kind) {
        case 'lost':
          return undefined;
        case 'finished': {
          const number = verdict.entry.prompt[0];
          return { prompt_id: promptId, number: typeof number === 'number' ? number : UNKNOWN_NUMBER, node_errors: {} };
        }
        default:
          return { prompt_id: promptId, number: verdict.number ?? UNKNOWN_NUMBER, node_errors: {} };
      }
    }),
  );
}
