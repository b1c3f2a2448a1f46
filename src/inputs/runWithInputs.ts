import { type Observable, map, switchMap } from 'rxjs';
import type { PromptEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runOptions';
import { isPlainObject } from '../util/isPlainObject';
import { INPUTS_METADATA_KEY } from './constants';
import type { InputPlacer } from './inputPlacer';
import { type ResolvedInputs, resolveInputs } from './resolveInputs';
import { replaceHandles } from './replaceHandles';

/** Runs the prompt once its input files are placed: the prompt with stored names, options without `inputs`, the placed values (for offline validation). */
export type RunResolved = (prompt: Record<string, unknown>, options: RunOptions, placed: ReadonlySet<string>) => Observable<PromptEvent>;

/** The run options with the inputs used in `extra_pnginfo` (saved in the outputs and the history) and handles gone from an embedded UI workflow. */
function withInputsMetadata(options: RunOptions, resolved: ResolvedInputs): RunOptions {
  const { inputs: _inputs, ...rest } = options;
  if (Object.keys(resolved.values).length === 0) return rest;
  const extraData = rest.extraData ?? {};
  const pngInfo = isPlainObject(extraData.extra_pnginfo) ? extraData.extra_pnginfo : {};
  const embedded = pngInfo.workflow === undefined ? {} : { workflow: replaceHandles(pngInfo.workflow, resolved.byHandle) };
  return { ...rest, extraData: { ...extraData, extra_pnginfo: { ...pngInfo, ...embedded, [INPUTS_METADATA_KEY]: resolved.sources } } };
}

/**
 * Places a prompt's input files (its handles and the `inputs` option) on the server of `placer`,
 * then runs it with `run`; the `queued` event carries `inputs: { '<node id>.inputs.<name>': value }`
 * and `extra_pnginfo` the same values with their sources (key `comfyui_rx_inputs`, in the output
 * files and the history). A failing input fails the run before anything is posted.
 * ```text
 * placing: --r|                 r = the resolved inputs
 * run:       -q-x-d|            q = queued, d = done
 * result:  ---Q-x-d|            Q = queued with its inputs
 * ```
 * @example runWithInputs(placer, prompt, { inputs: { '10.inputs.image': 'photo.png' } }, (p, o) => runPrompt(deps, p, o))
 */
export function runWithInputs(placer: InputPlacer, prompt: Record<string, unknown>, options: RunOptions, run: RunResolved): Observable<PromptEvent> {
  return resolveInputs(prompt, options.inputs, placer).pipe(
    switchMap((resolved) => {
      const values = resolved.values;
      const events$ = run(resolved.prompt, withInputsMetadata(options, resolved), new Set(Object.values(values)));
      if (Object.keys(values).length === 0) return events$;
      return events$.pipe(map((event): PromptEvent => (event.type === 'queued' ? { ...event, inputs: values } : event)));
    }),
  );
}
