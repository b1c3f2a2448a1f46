import path from 'node:path';
import { type Observable, concatMap, defer, from, map, of, switchMap, take } from 'rxjs';
import { z } from 'zod';
import { ComfyConnectionError, ComfyOptionsError } from '../errors';
import type { OutputFileRef } from '../protocol/api';
import type { NodeOutput } from '../protocol/messages';
import type { ComfyHttp } from '../transport/http';
import { formatIssues } from '../util/formatIssues';
import { containedPath } from './containedPath';
import { fromAbortable } from '../operators/fromAbortable';
import { type OutputFile, outputFiles } from './outputFiles';
import { ON_EXISTING, type OnExisting, type WriteResult, checkExisting, writeFileAtomically } from './writeFileAtomically';
import { isFunction } from '../util/isFunction';
import type { SameShape } from '../util/sameShape';

/** What {@link saveOutputs} needs of a client's HTTP API (a `ComfyHttp`, or a stub in tests). */
export type ViewSource = Pick<ComfyHttp, 'view' | 'endpoint'>;

/** One file saved (or skipped) by {@link saveOutputs}. */
export interface SavedFile {
  /** Absolute local path. */
  readonly path: string;
  readonly bytes: number;
  readonly nodeId: string;
  /** Output key: `images`, `gifs`, `video`, `audio`... */
  readonly kind: string;
  /** The server's reference (untrusted names, as the server sent them). */
  readonly source: OutputFileRef;
  readonly animated: boolean;
  /** `onExisting: 'skip'` found the file already there; nothing was downloaded. */
  readonly skipped: boolean;
}


/** Options of {@link saveOutputs}, checked at call time (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface SaveOptions {
  /** Folder the files go to (created if missing). Nothing is ever written outside it. */
  readonly dir: string;
  /**
   * Local name (relative to `dir`, `/` allowed for sub-folders) of the `index`-th file. Every
   * segment is sanitised and kept inside `dir`. Default: the server's file name (see `keepSubfolders`).
   */
  readonly fileName?: (file: OutputFile, index: number) => string;
  /** Also download `type: 'temp'` previews. Default false. */
  readonly includeTemp?: boolean;
  /** Default `'rename'`: an existing file is never overwritten silently. */
  readonly onExisting?: OnExisting;
  /** Default name keeps the server's sub-folder (sanitised, below `dir`). Default false: flat. */
  readonly keepSubfolders?: boolean;
}

/** Validates {@link SaveOptions}. */
const SaveOptionsSchema = z
  .object({
    dir: z.string().min(1),
    fileName: z.custom<(file: OutputFile, index: number) => string>(isFunction, 'expected a function (file, index) => string').optional(),
    includeTemp: z.boolean().optional(),
    onExisting: z.enum(ON_EXISTING).optional(),
    keepSubfolders: z.boolean().optional(),
  })
  .strict();
true satisfies SameShape<SaveOptions, z.input<typeof SaveOptionsSchema>>;

/**
 * Downloads every file a prompt's outputs list (images, gifs, videos, audio...; temp previews when
 * asked) through `GET /view`, one after the other, each streamed to disk (never held whole in
 * memory) and renamed into place only once complete. Server-provided names are untrusted: they
 * are sanitised and kept inside `dir`. Cold; unsubscribing stops the current download and removes
 * its partial file.
 *
 * Errors: `ComfyHttpError` (the server refused `/view`), `ComfyConnectionError` (the body broke
 * off), `ComfyOutputExistsError` (`onExisting: 'error'`), file-system errors as Node raises them. A
 * failed file leaves nothing behind.
 * ```ts
 * saveOutputs(comfy.http, done.outputs, { dir: 'out' }).subscribe((f) => console.log(f.path));
 * ```
 * @throws ComfyOptionsError synchronously when `options` are invalid.
 */
export function saveOutputs(http: ViewSource, outputs: Readonly<Record<string, NodeOutput>>, options: SaveOptions): Observable<SavedFile> {
  const parsed = SaveOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ComfyOptionsError(`Invalid saveOutputs options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  const { fileName, includeTemp = false, onExisting = 'rename', keepSubfolders = false } = parsed.data;
  const dir = path.resolve(parsed.data.dir);
  return defer(() => from(outputFiles(outputs, { includeTemp }))).pipe(
    concatMap((file, index) => {
      const relative = fileName ? fileName(file, index) : keepSubfolders ? `${file.file.subfolder}/${file.file.filename}` : file.file.filename;
      const target = containedPath(dir, relative);
      return saveOutputFile(http, file.file, target, onExisting).pipe(
        map((written): SavedFile => ({ ...written, nodeId: file.nodeId, kind: file.kind, source: file.file, animated: file.animated })),
      );
    }),
  );
}

/**
 * Downloads one file to `target` (already a safe, contained path), honouring `onExisting`.
 * Cold; unsubscribing aborts the request or the copy and removes the partial file.
 */
export function saveOutputFile(http: ViewSource, file: OutputFileRef, target: string, onExisting: OnExisting): Observable<WriteResult> {
  return defer(() => checkExisting(target, onExisting)).pipe(
    switchMap((existing) =>
      existing
        ? of(existing)
        : http.view(file).pipe(
            take(1),
            switchMap((response) =>
              fromAbortable((signal) =>
                writeFileAtomically(response.body, target, {
                  onExisting,
                  signal,
                  expectedBytes: response.contentLength,
                  sourceError: (cause) => downloadError(http, file, cause),
                }),
              ),
            ),
          ),
    ),
  );
}

function downloadError(http: ViewSource, file: OutputFileRef, cause: unknown): ComfyConnectionError {
  const url = http.endpoint.http('view', { filename: file.filename, subfolder: file.subfolder, type: file.type });
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ComfyConnectionError(`Download of ${JSON.stringify(file.filename)} failed: ${reason}`, url, {}, { cause });
}
