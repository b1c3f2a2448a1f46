import { basename } from 'node:path';
import { type Observable, catchError, from, map, mergeMap, of, throwError, toArray } from 'rxjs';
import { ComfyOptionsError } from '../errors';
import { isPlainObject } from '../util/isPlainObject';
import { describeInputPathLookup, locateInputPath } from '../workflow/locateInputPath';
import { INPUT_UPLOAD_CONCURRENCY } from './constants';
import { ComfyInputError } from './errors';
import { InputFile, isInputFile } from './inputFile';
import type { InputPlacer } from './inputPlacer';
import { type InputSource, isInputSource } from './inputSource';
import { type UploadedFile, inputReference } from './uploadedFile';

/** A value of `run(workflow, { inputs })`: a local source (uploaded), a handle, or a file already placed. */
export type InputValue = InputSource | InputFile | UploadedFile;

/** `{ '<node id or title>.inputs.<name>': value }`: input files to place before posting (see {@link InputValue}). */
export type InputsOption = Readonly<Record<string, InputValue>>;

/** What a prompt's input files became: the prompt to post and, per input, the value used and where it came from. */
export interface ResolvedInputs {
  readonly prompt: Record<string, unknown>;
  /** `{ '<node id>.inputs.<name>': value }` */
  readonly values: Readonly<Record<string, string>>;
  /** `{ '<node id>.inputs.<name>': { value, source } }`, the source as messages show it (a path by its base name). */
  readonly sources: Readonly<Record<string, { readonly value: string; readonly source: string }>>;
  /** The value each handle became (to replace the same handles elsewhere: a UI workflow embedded in the outputs). */
  readonly byHandle: ReadonlyMap<InputFile, string>;
}

const isUploadedFile = (value: unknown): value is UploadedFile => isPlainObject(value) && typeof value.name === 'string' && typeof value.value === 'string' && typeof value.type === 'string';

/** Whether an API prompt holds an {@link InputFile} anywhere among its nodes' inputs. */
export function hasInputFiles(prompt: unknown): boolean {
  if (!isPlainObject(prompt)) return false;
  for (const node of Object.values(prompt)) {
    if (!isPlainObject(node) || !isPlainObject(node.inputs)) continue;
    for (const value of Object.values(node.inputs)) if (isInputFile(value)) return true;
  }
  return false;
}

/** Where a resolved value came from, for the saved metadata. */
function sourceLabel(file: InputFile): string {
  return file.source.kind === 'path' ? basename(file.source.path) : file.description;
}

/**
 * Places a prompt's input files on the server of `placer` and answers the prompt to post, with
 * each handle replaced by its stored name: the handles standing in the prompt's inputs, and the
 * `inputs` option (`{ 'Load Image.inputs.image': 'photo.png' }`, nodes by id or title; a local
 * source is uploaded, an `UploadedFile` set as its value). Up to `INPUT_UPLOAD_CONCURRENCY`
 * placements at once; the same content is placed once (see {@link InputPlacer}). The prompt given
 * is not changed (only the nodes with handles are copied).
 * ```text
 * handles: -a--b|          two handles, placed on the server
 * result:  ------r|        r = { prompt (stored names in), values, sources }
 * ```
 * Errors (through the Observable; the prompt is then never posted): a key naming no input of that node
 * (`ComfyOptionsError`, listing its inputs), a source that fails (`ComfyInputError` with the node
 * and the input). A file placed as a Comfy API v2 asset goes in as its `core/ASSET` reference.
 * @example resolveInputs(prompt, { 'Load Image.inputs.image': 'photo.png' }, placer).subscribe(({ prompt }) => post(prompt))
 */
export function resolveInputs(prompt: Record<string, unknown>, inputs: InputsOption | undefined, placer: InputPlacer): Observable<ResolvedInputs> {
  const wanted: Array<{ node: string; input: string; file: InputFile }> = [];
  const direct: Array<{ node: string; input: string; value: string; reference: unknown }> = [];
  for (const [key, value] of Object.entries(inputs ?? {})) {
    const lookup = locateInputPath(prompt, key);
    if (lookup.kind !== 'found') return throwError(() => new ComfyOptionsError(`run option inputs[${JSON.stringify(key)}]: ${describeInputPathLookup(key, lookup)}`));
    if (isInputFile(value)) wanted.push({ node: lookup.node, input: lookup.input, file: value });
    else if (isUploadedFile(value)) direct.push({ node: lookup.node, input: lookup.input, value: value.value, reference: inputReference(value) });
    else if (isInputSource(value)) wanted.push({ node: lookup.node, input: lookup.input, file: new InputFile(value) });
    else return throwError(() => new ComfyOptionsError(`run option inputs[${JSON.stringify(key)}]: expected a path, an http(s) URL, bytes, a Blob, a Readable, an inputFile handle or an UploadedFile`));
  }
  const named = new Set([...wanted, ...direct].map(({ node, input }) => `${node}\0${input}`));
  for (const [node, spec] of Object.entries(prompt)) {
    if (!isPlainObject(spec) || !isPlainObject(spec.inputs)) continue;
    for (const [input, value] of Object.entries(spec.inputs)) if (isInputFile(value) && !named.has(`${node}\0${input}`)) wanted.push({ node, input, file: value });
  }
  if (wanted.length === 0 && direct.length === 0) return of({ prompt, values: {}, sources: {}, byHandle: new Map() });
  return from(wanted).pipe(
    mergeMap(
      ({ node, input, file }) =>
        file.place(placer).pipe(
          map((stored) => ({ node, input, value: stored.value, reference: inputReference(stored), source: sourceLabel(file), file })),
          catchError((error: unknown) => throwError(() => (error instanceof ComfyInputError ? error.at(node, input) : error))),
        ),
      INPUT_UPLOAD_CONCURRENCY,
    ),
    toArray(),
    map((placed) => {
      const copy: Record<string, unknown> = { ...prompt };
      const values: Record<string, string> = {};
      const sources: Record<string, { value: string; source: string }> = {};
      const byHandle = new Map<InputFile, string>(placed.map(({ file, value }) => [file, value]));
      for (const { node, input, value, reference, source } of [...placed, ...direct.map((entry) => ({ ...entry, source: 'uploaded' }))]) {
        const original = copy[node] as { inputs: Record<string, unknown> };
        copy[node] = { ...original, inputs: { ...original.inputs, [input]: reference } };
        const key = `${node}.inputs.${input}`;
        values[key] = value;
        sources[key] = { value, source };
      }
      return { prompt: copy, values, sources, byHandle };
    }),
  );
}
