import { type Observable, concatMap, of, throwError } from 'rxjs';
import type { PromptAccepted } from '../protocol/validation';
import type { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import { validatePrompt } from '../workflow/validatePrompt';
import { rejectionError } from './rejectionError';

/**
 * Checks a prompt offline, against the server's `/object_info`, before it is posted: emits the
 * answer the server would give when it would accept the prompt (200, possibly with the
 * `node_errors` of dropped outputs), and errors with the `ComfyValidationError` its 400 would
 * give otherwise (see {@link rejectionError}). Nothing reaches the server for a rejected prompt.
 * ```text
 * index$:  -i|
 * result:  -a|      a = the 200 answer (or #: ComfyValidationError, as the server's 400)
 * ```
 * @param index$ The server's `/object_info` (cached per client).
 * @param partialExecutionTargets The run's `partialExecutionTargets` (only those outputs count).
 * @example validateBeforeRun(cache.index(), workflow).pipe(switchMap(() => runPrompt(deps, workflow)))
 */
export function validateBeforeRun(index$: Observable<ObjectInfoIndex>, prompt: unknown, partialExecutionTargets?: readonly string[]): Observable<PromptAccepted> {
  return index$.pipe(
    concatMap((index) => {
      const answer = validatePrompt(prompt, index, { partialExecutionTargets });
      return answer.status === 200 ? of(answer) : throwError(() => rejectionError(answer));
    }),
  );
}
