import { type Observable, catchError, map, of } from 'rxjs';
import type { Logger } from '../log';
import type { RunOptions } from '../prompt/runOptions';
import { isPlainObject } from '../util/isPlainObject';
import { embeddedUiWorkflow } from '../workflow/embedded/embeddedUiWorkflow';
import { withEmbeddedWorkflow } from '../workflow/embedded/withEmbeddedWorkflow';
import { reproducibleWorkflow } from '../workflow/reproduce/reproducibleWorkflow';
import type { ObjectInfoCache } from './objectInfoCache';

/** The run options without `extra_pnginfo.workflow`: the output files then carry the API prompt alone. */
function withoutWorkflow(options: RunOptions): RunOptions {
  const extraData = options.extraData ?? {};
  const { workflow: _workflow, ...pngInfo } = isPlainObject(extraData.extra_pnginfo) ? extraData.extra_pnginfo : {};
  return { ...options, extraData: { ...extraData, extra_pnginfo: pngInfo } };
}

/**
 * The run options of a prompt about to be posted with a UI workflow embedded (`extra_pnginfo`):
 * the workflow with the values the run changed written back (`--set`, seeds, a batch's text,
 * input files, resolved dynamic prompts; see {@link reproducibleWorkflow}), so that the output
 * files reopen and re-run as this prompt. When a value has no place in the workflow, a warning
 * names it and the workflow is left out: the files' `prompt` is the one to re-run. A workflow
 * that does not convert with this server's `/object_info` is embedded as given, with a warning.
 * Options without an embedded UI workflow pass unchanged.
 * ```text
 * cache:   -i|
 * result:  -o|        o = the options with the written-back workflow (or without one)
 * ```
 * @example withReproducibleWorkflow(client.objectInfo, prompt, withEmbeddedWorkflow({}, ui), log)
 */
export function withReproducibleWorkflow(cache: ObjectInfoCache, prompt: unknown, options: RunOptions, log: Logger): Observable<RunOptions> {
  const workflow = embeddedUiWorkflow(options);
  if (!workflow || !isPlainObject(prompt)) return of(options);
  return cache.index().pipe(
    map((index) => {
      const made = reproducibleWorkflow(workflow, index, prompt);
      switch (made.kind) {
        case 'reproduces':
          return made.written === 0 ? options : withEmbeddedWorkflow(options, made.workflow);
        case 'unconvertible':
          log.warn({ reason: made.reason }, 'the embedded UI workflow is kept as given: it does not convert here, so its values were not checked against the prompt');
          return options;
        case 'unplaced': {
          const where = made.unplaced.map((value) => `${value.nodeId}${value.input ? `.inputs.${value.input}` : ''} (${value.reason})`).join('; ');
          log.warn({ unplaced: made.unplaced }, `the outputs embed the API prompt instead of the UI workflow, which cannot hold what this run changed: ${where}`);
          return withoutWorkflow(options);
        }
      }
    }),
    catchError((err: unknown) => {
      log.warn({ err }, 'the embedded UI workflow is kept as given: /object_info could not be read to check it');
      return of(options);
    }),
  );
}
