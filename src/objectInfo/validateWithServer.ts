import type { Observable } from 'rxjs';
import { ComfyMissingNodeTypesError } from '../errors';
import type { PromptAccepted } from '../protocol/validation';
import { rejectionError } from '../workflow/validate/rejectionError';
import { validatePrompt } from '../workflow/validate/validatePrompt';
import { requiredClassTypes } from '../workflow/requiredClassTypes';
import type { ObjectInfoCache } from './objectInfoCache';

/**
 * Checks a prompt offline against the client's cached `/object_info` before it is posted: emits
 * the answer the server would give when it would accept the prompt (200, possibly with the
 * `node_errors` of dropped outputs), and errors with the `ComfyValidationError` its 400 would
 * give otherwise (see {@link rejectionError}). When the prompt names a class the cached index
 * lacks (a node pack installed since it was fetched), the index is fetched again once before the
 * prompt is judged, so that only a class the server really lacks rejects it.
 * ```text
 * cache:   -i|                  i = the cached index; it knows every class of the prompt
 * result:  -a|                  a = the 200 answer (or #: ComfyValidationError, as the server's 400)
 * ```
 * @param cache The client's `/object_info` cache.
 * @param prompt The API prompt about to be posted.
 * @param partialExecutionTargets The run's `partialExecutionTargets` (only those outputs count).
 * @param knownFiles Widget values of files placed on the server since `/object_info` was read (they exist).
 * @example validateWithServer(client.objectInfo, prompt).pipe(switchMap(() => comfy.run(prompt)))
 */
export function validateWithServer(cache: ObjectInfoCache, prompt: unknown, partialExecutionTargets?: readonly string[], knownFiles?: ReadonlySet<string>): Observable<PromptAccepted> {
  return cache.using((index, final) => {
    const unknown = final ? [] : requiredClassTypes(prompt).filter((classType) => !index.has(classType));
    if (unknown.length) throw new ComfyMissingNodeTypesError(unknown.map((type) => ({ type, nodeIds: [] })));
    const answer = validatePrompt(prompt, index, { partialExecutionTargets, ...(knownFiles?.size ? { env: { knownFiles } } : {}) });
    if (answer.status !== 200) throw rejectionError(answer);
    return answer;
  });
}
