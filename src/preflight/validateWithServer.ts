import { type Observable, of, switchMap } from 'rxjs';
import type { ObjectInfoCache } from '../convert/objectInfoCache';
import type { PromptAccepted } from '../protocol/validation';
import { isPlainObject } from '../util/isPlainObject';
import type { ObjectInfoIndex } from '../workflow/objectInfoIndex';
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
  const index$ = cache.index().pipe(switchMap((index) => (knowsEveryClass(index, prompt) ? of(index) : cache.refresh(index))));
  return validateBeforeRun(index$, prompt, partialExecutionTargets);
}

function knowsEveryClass(index: ObjectInfoIndex, prompt: unknown): boolean {
  if (!isPlainObject(prompt)) return true; // nothing to refresh for: validation says what is wrong
  return Object.values(prompt).every((node) => !isPlainObject(node) || typeof node['class_type'] !== 'string' || index.has(node['class_type']));
}
