import { type Observable, catchError, defer, map, of, switchMap, throwError } from 'rxjs';
import { ComfyMissingNodeTypesError } from '../errors';
import type { RunOptions } from '../prompt/runPrompt';
import { isPlainObject } from '../util/isPlainObject';
import { isUiWorkflow } from '../workflow/isUiWorkflow';
import { toApiPrompt, type ToApiPromptOptions, type ToApiPromptResult } from '../workflow/toApiPrompt';
import type { ObjectInfoCache } from './objectInfoCache';

/**
 * Converts a UI workflow with the server's `/object_info` from `cache`; when node types are
 * missing, fetches `/object_info` again once (custom nodes may have been installed) and retries,
 * failing with `ComfyMissingNodeTypesError` if they are still missing.
 */
export function convertWithServer(cache: ObjectInfoCache, workflow: unknown, options: ToApiPromptOptions = {}): Observable<ToApiPromptResult> {
  return cache.index().pipe(
    switchMap((index) =>
      defer(() => of(toApiPrompt(workflow, index, options))).pipe(
        catchError((error: unknown) =>
          error instanceof ComfyMissingNodeTypesError
            ? cache.refresh(index).pipe(map((fresh) => (fresh === index ? rethrow(error) : toApiPrompt(workflow, fresh, options))))
            : throwError(() => error),
        ),
      ),
    ),
  );
}

function rethrow(error: unknown): never {
  throw error;
}

/** What `run` posts: the API prompt and the run's options (with the UI workflow to embed in outputs). */
export interface PreparedRun {
  readonly prompt: unknown;
  readonly options: RunOptions;
  readonly conversion?: ToApiPromptResult;
}

/**
 * Either format to what `runPrompt` takes: an API prompt passes through; a UI workflow is
 * converted (see {@link convertWithServer}) and carried in `extra_data.extra_pnginfo.workflow`, as
 * the editor sends it, so the outputs embed it and reopen in the editor.
 */
export function prepareRun(cache: ObjectInfoCache, workflow: unknown, options: RunOptions = {}): Observable<PreparedRun> {
  if (!isUiWorkflow(workflow)) return of({ prompt: workflow, options });
  return convertWithServer(cache, workflow).pipe(
    map((conversion) => ({ prompt: conversion.prompt, options: withEmbeddedWorkflow(options, workflow), conversion })),
  );
}

/** `options` with the UI workflow in `extraData.extra_pnginfo.workflow` (other keys kept). */
export function withEmbeddedWorkflow(options: RunOptions, workflow: unknown): RunOptions {
  const extraData = options.extraData ?? {};
  const pngInfo = extraData['extra_pnginfo'];
  const extraPngInfo = isPlainObject(pngInfo) ? pngInfo : {};
  return { ...options, extraData: { ...extraData, extra_pnginfo: { ...extraPngInfo, workflow } } };
}
