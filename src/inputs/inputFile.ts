import { type Observable, ReplaySubject, defer, of, share, switchMap, tap } from 'rxjs';
import { z } from 'zod';
import { ComfyOptionsError } from '../errors';
import { formatIssues } from '../util/formatIssues';
import type { InputContent } from './inputContent';
import type { InputPlacer } from './inputPlacer';
import { type ClassifiedSource, type InputSource, classifySource, describeSource } from './inputSource';
import { prepareContent } from './prepareContent';
import { type UploadedFile, storedFileOf } from './uploadedFile';

/** Options of {@link inputFile} and `comfy.upload`. */
export interface InputFileOptions {
  /**
   * Content-addressed upload (default `true`): stored as `comfyui-rx/<hash>.<ext>`, looked up with
   * `HEAD /view` before sending, remembered per server, so the same bytes (from a path, bytes, a
   * Blob or a URL alike) are one file, uploaded at most once per server. `false` keeps the name
   * (`name`, else the source's) and lets the server's same-name rules apply.
   */
  dedupe?: boolean;
  /** The file name (its extension gives the type); default: the source's name, else sniffed from the bytes. */
  name?: string;
  /** Default `comfyui-rx` with dedupe, the folder's root without. */
  subfolder?: string;
  /** The server folder. Default `input`. */
  type?: 'input' | 'temp' | 'output';
  /** Without dedupe: replace a file of that name instead of getting `name (1).ext`. */
  overwrite?: boolean;
  /**
   * The file is a mask (its alpha channel is what counts) for `original`: an image already on the
   * server (its stored name, `"photo.png"` or `"x.png [output]"`, or an {@link UploadedFile}) or
   * another handle (placed first, on the same server). The result is the original with the mask's
   * alpha, a new PNG, as the editor makes inpainting inputs.
   */
  mask?: { original: InputFile | UploadedFile | string };
}

const FolderType = z.enum(['input', 'temp', 'output']);
const OptionsSchema = z
  .object({
    dedupe: z.boolean().optional(),
    name: z.string().min(1).refine((name) => !/[/\\]/.test(name) && name !== '.' && name !== '..', 'a file name without folders').optional(),
    subfolder: z.string().refine((folder) => !folder.split(/[/\\]/).includes('..') && !folder.startsWith('/'), 'a relative folder without ".."').optional(),
    type: FolderType.optional(),
    overwrite: z.boolean().optional(),
    mask: z
      .object({
        original: z.custom<InputFile | UploadedFile | string>(
          (value) => isInputFile(value) || (typeof value === 'string' && value.length > 0) || (typeof (value as UploadedFile | undefined)?.name === 'string' && typeof (value as UploadedFile).value === 'string'),
          'expected an inputFile handle, an UploadedFile or a stored file name',
        ),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Checks the options of an input file. @throws ComfyOptionsError naming the option. */
export function checkInputFileOptions(options: unknown, where: string): InputFileOptions {
  const parsed = OptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new ComfyOptionsError(`Invalid ${where} options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  return parsed.data as InputFileOptions;
}

/** Marks handles across copies of this package (a symbol registered globally). */
const INPUT_FILE = Symbol.for('comfyui-rx.inputFile');

/** Whether a value is an {@link InputFile} handle. */
export function isInputFile(value: unknown): value is InputFile {
  return typeof value === 'object' && value !== null && (value as { [INPUT_FILE]?: unknown })[INPUT_FILE] === true;
}

/**
 * A lazy input file: a source and how to store it, read and placed only when a run needs it, on
 * the server that runs the prompt (see {@link inputFile}). Its content is read (and hashed) once
 * and reused on every server; each server's placement is remembered by that server's client.
 */
export class InputFile {
  readonly [INPUT_FILE] = true;
  /** The source as messages show it (no credentials or query strings). */
  readonly description: string;
  readonly source: ClassifiedSource;
  private readonly content$: Observable<InputContent>;
  private prepared: InputContent | undefined;

  constructor(
    source: InputSource,
    readonly options: InputFileOptions = {},
  ) {
    this.source = classifySource(source);
    this.description = describeSource(this.source);
    const hash = options.dedupe ?? true;
    this.content$ = defer(() => prepareContent(this.source, { hash, ...(options.name ? { name: options.name } : {}) })).pipe(
      tap((content) => (this.prepared = content)),
      share({ connector: () => new ReplaySubject<InputContent>(1), resetOnError: true, resetOnComplete: false, resetOnRefCountZero: true }),
    );
  }

  /** The content, read (and hashed) on first use, then kept. */
  content(): Observable<InputContent> {
    return defer(() => (this.prepared ? of(this.prepared) : this.content$));
  }

  /**
   * Places the file on the server of `placer` (after its mask's original, when it is a mask) and
   * answers the stored file. Errors are `ComfyInputError`s.
   */
  place(placer: InputPlacer): Observable<UploadedFile> {
    const { options } = this;
    const original = options.mask?.original;
    const original$: Observable<UploadedFile | undefined> =
      original === undefined ? of(undefined) : isInputFile(original) ? original.place(placer) : of(typeof original === 'string' ? storedFileOf(original) : original);
    if (this.source.kind === 'output' && this.source.output.key === placer.surface.key && !original) return of(this.source.output.stored); // on its own server: used in place
    return original$.pipe(
      switchMap((maskOf) =>
        this.content().pipe(
          switchMap((content) =>
            placer.place(content, {
              dedupe: options.dedupe ?? true,
              ...(options.name ? { name: options.name } : {}),
              ...(options.subfolder !== undefined ? { subfolder: options.subfolder } : {}),
              type: options.type ?? 'input',
              overwrite: options.overwrite ?? false,
              ...(maskOf ? { maskOf } : {}),
            }),
          ),
        ),
      ),
    );
  }

  /** Frees the spooled copy of a URL or stream source, if any (it is also removed when the process exits). */
  dispose(): void {
    this.prepared?.dispose?.();
  }

  /** What a handle becomes in JSON: a marker the server rejects (resolve handles before posting: `run` does). */
  toJSON(): { readonly inputFile: string } {
    return { inputFile: this.description };
  }
}

/**
 * A lazy input file handle: put it anywhere a workflow takes a value (an API prompt's input, a
 * Load node's widget in a UI workflow), and `run`, `generate`, a pool and a queue worker place the
 * file on the server that runs the prompt, just before posting, and post its stored name instead
 * (the `queued` event lists the values used). Nothing is read until then.
 * @param source A path, an `http(s)` URL, bytes, a Blob, a Node Readable (read once).
 * @throws ComfyOptionsError for invalid options; TypeError for something that is not a source.
 * @example
 * workflow['10'].inputs.image = inputFile('photo.png');
 * comfy.run(workflow).subscribe((e) => e.type === 'queued' && console.log(e.inputs)); // { '10.inputs.image': 'comfyui-rx/3f2a….png' }
 */
export function inputFile(source: InputSource, options: InputFileOptions = {}): InputFile {
  return new InputFile(source, checkInputFileOptions(options, 'inputFile'));
}
