import type { Observable } from 'rxjs';
import { toApiPrompt, type ToApiPromptOptions, type ToApiPromptResult } from '../workflow/convert/toApiPrompt';
import type { ObjectInfoCache } from './objectInfoCache';

/**
 * Converts a UI workflow with the server's `/object_info` from `cache`; when node types are
 * missing, `/object_info` is fetched again once (custom nodes may have been installed) and the
 * conversion retried, failing with `ComfyMissingNodeTypesError` if they are still missing.
 * ```text
 * cache:   -i|
 * result:  -r|        r = { prompt, warnings }
 * ```
 * @example convertWithServer(client.objectInfo, uiWorkflow).subscribe(({ prompt }) => ...)
 */
export function convertWithServer(cache: ObjectInfoCache, workflow: unknown, options: ToApiPromptOptions = {}): Observable<ToApiPromptResult> {
  return cache.using((index) => toApiPrompt(workflow, index, options));
}
