import { type Observable, of, switchMap } from 'rxjs';
import type { ObjectInfoCache } from '../convert/objectInfoCache';
import type { PromptAccepted } from '../protocol/validation';
import { requiredClassTypes } from '../workflow/requiredClassTypes';
import { validateBeforeRun } from './validateBeforeRun';

/**
 * {@link validateBeforeRun} with a client's cached `/object_info`: when the prompt names a class
 * the cached index lacks (a node pack installed since it was fetched), the index is fetched again
 * once before the prompt is judged, so that only a class the server really lacks rejects it.
 * ```text
 * cache:   -i|                  i = the cached index; it knows every class of the prompt
 * result:  -a|                  a = the 200 answer (or #: ComfyValidationError, as the server's 400)
 * ```
 * @param cache The client's `/object_info` cache.
 * @param prompt The API prompt about to be posted.
 * @param partialExecutionTargets The run's `partialExecutionTargets`.
 * @example validateWithServer(cache, prompt).pipe(switchMap(() => runPrompt(deps, prompt)))
 */
export function validateWithServer(cache: ObjectInfoCache, prompt: unknown, partialExecutionTargets?: readonly string[]): Observable<PromptAccepted> {
  const index$ = cache.index().pipe(switchMap((index) => (requiredClassTypes(prompt).every((classType) => index.has(classType)) ? of(index) : cache.refresh(index))));
  return validateBeforeRun(index$, prompt, partialExecutionTargets);
}
