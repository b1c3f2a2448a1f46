import { type Observable, catchError, defer, map, of, shareReplay, switchMap, throwError } from 'rxjs';
import { ComfyConnectionError, ComfyHttpError } from '../errors';
import type { ComfyHttp } from '../transport/http';
import { ComfyInputError } from './errors';
import type { InputSurface, PlaceRequest } from './inputSurface';
import { type UploadedFile, uploadedFile } from './uploadedFile';

/** The calls of the native protocol an input surface makes. */
export type InputHttp = Pick<ComfyHttp, 'upload' | 'fileExists' | 'features'>;

const tooLarge = (source: string, size: number, max: number): ComfyInputError =>
  new ComfyInputError(`${source} is ${size} bytes, over the server's max_upload_size of ${max} bytes (start ComfyUI with a larger --max-upload-size)`, 'too-large', source);

/** A transport failure of an upload as the input error it is (413: too large; 4xx: refused; others: the server's trouble). */
function asInputError(error: unknown, request: PlaceRequest, max: number | undefined): Error {
  if (error instanceof ComfyInputError) return error;
  const source = request.content.source;
  if (error instanceof ComfyHttpError && error.status === 413) {
    return new ComfyInputError(`${source}: the server refused it as too large (413${max !== undefined ? `, max_upload_size ${max} bytes` : ''})`, 'too-large', source, undefined, undefined, { cause: error });
  }
  if (error instanceof ComfyHttpError && error.status < 500) {
    return new ComfyInputError(`${source}: the server refused the upload (${error.status}${error.bodyExcerpt ? `: ${error.bodyExcerpt}` : ''})`, 'rejected', source, undefined, undefined, { cause: error });
  }
  if (error instanceof ComfyHttpError || error instanceof ComfyConnectionError) {
    return new ComfyInputError(`${source} could not be uploaded: ${error.message}`, 'upload-failed', source, undefined, undefined, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

const refOf = (file: UploadedFile) => ({ filename: file.name, subfolder: file.subfolder, type: file.type });

/**
 * The native protocol as an {@link InputSurface}: a content-addressed file is looked up first
 * with `HEAD /view` (present: nothing is sent); a mask's original too (absent: a
 * `mask-original-missing` error, nothing sent; and since the server answers 200 even when it
 * stored nothing, the mask's result is looked up after the upload as well). A file over the
 * server's `max_upload_size` (`GET /features`, asked once) fails before sending.
 */
export function nativeInputSurface(http: InputHttp, key: string): InputSurface {
  const maxUpload$: Observable<number | undefined> = defer(() => http.features()).pipe(
    map((features) => (typeof features.max_upload_size === 'number' && features.max_upload_size > 0 ? Math.floor(features.max_upload_size) : undefined)),
    catchError(() => of(undefined)), // an older server or a proxy without /features: the 413 still tells
    shareReplay(1),
  );

  const send = (request: PlaceRequest, max: number | undefined): Observable<UploadedFile> => {
    const { content } = request;
    if (max !== undefined && content.size !== undefined && content.size > max) return throwError(() => tooLarge(content.source, content.size as number, max));
    return http
      .upload({
        file: { fileName: request.name, contentType: content.contentType, ...(content.size !== undefined ? { size: content.size } : {}), open: () => content.open() },
        type: request.type,
        subfolder: request.subfolder,
        overwrite: request.overwrite,
        ...(request.maskOf ? { maskOf: refOf(request.maskOf) } : {}),
        ...(max !== undefined ? { maxFileBytes: max, onTooLarge: (sent: number) => tooLarge(content.source, sent, max) } : {}),
      })
      .pipe(
        map((answer) => uploadedFile(answer)),
        catchError((error: unknown) => throwError(() => asInputError(error, request, max))),
      );
  };

  const missingOriginal = (request: PlaceRequest): ComfyInputError =>
    new ComfyInputError(
      `the image ${request.maskOf?.value ?? '?'} that the mask ${request.content.source} applies to is not on the server`,
      'mask-original-missing',
      request.content.source,
    );

  return {
    key,
    place: (request) =>
      defer(() => {
        const here = { filename: request.name, subfolder: request.subfolder, type: request.type };
        const known$ = request.contentAddressed ? http.fileExists(here) : of(false);
        const original$ = request.maskOf ? http.fileExists(refOf(request.maskOf)) : of(true);
        return known$.pipe(
          switchMap((known) => {
            if (known) return of(uploadedFile({ name: request.name, subfolder: request.subfolder, type: request.type }));
            return original$.pipe(
              switchMap((present) => (present ? maxUpload$ : throwError(() => missingOriginal(request)))),
              switchMap((max) => send(request, max)),
              switchMap((stored) => (request.maskOf ? http.fileExists(refOf(stored)).pipe(switchMap((present) => (present ? of(stored) : throwError(() => missingOriginal(request))))) : of(stored))),
            );
          }),
          catchError((error: unknown) => throwError(() => asInputError(error, request, undefined))),
        );
      }),
  };
}
