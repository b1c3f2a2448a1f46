import type { Readable } from 'node:stream';
import { type Observable, catchError, defer, from, map, of, switchMap, throwError } from 'rxjs';
import { ComfyConnectionError, ComfyHttpError } from '../../../errors';
import { ComfyInputError } from '../../../inputs/errors';
import type { InputSurface, PlaceRequest } from '../../../inputs/inputSurface';
import { type UploadedFile, uploadedFile } from '../../../inputs/uploadedFile';
import type { V2Http } from '../v2Http';
import type { V2Asset } from '../wire';
import { contentHash } from './contentHash';

/** The calls of the Comfy API v2 that placing an asset makes. */
export type AssetHttp = Pick<V2Http, 'hasBlob' | 'assetFromHash' | 'uploadAsset'>;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** A transport failure as the input error it is (409 hash mismatch, 413 and other 4xx: refused; others: the server's trouble). */
function asInputError(error: unknown, source: string): Error {
  if (error instanceof ComfyInputError) return error;
  if (error instanceof ComfyHttpError && error.status === 413) return new ComfyInputError(`${source}: the server refused it as too large (413)`, 'too-large', source, undefined, undefined, { cause: error });
  if (error instanceof ComfyHttpError && error.status < 500 && error.status !== 429) {
    return new ComfyInputError(`${source}: the server refused the asset (${error.status}${error.bodyExcerpt ? `: ${error.bodyExcerpt}` : ''})`, 'rejected', source, undefined, undefined, { cause: error });
  }
  if (error instanceof ComfyHttpError || error instanceof ComfyConnectionError) {
    return new ComfyInputError(`${source} could not be uploaded: ${error.message}`, 'upload-failed', source, undefined, undefined, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The stored file of an asset: its place in the input folder, and the asset a `core/ASSET` reference names. */
function storedAsset(asset: V2Asset, filePath: string): UploadedFile {
  const path = asset.file_path ?? filePath;
  const slash = path.lastIndexOf('/');
  const file = uploadedFile({ name: slash < 0 ? path : path.slice(slash + 1), subfolder: slash < 0 ? '' : path.slice(0, slash), type: 'input' });
  return { ...file, asset: { id: asset.id, ...(asset.hash ? { hash: asset.hash } : {}), file_path: path } };
}

/**
 * The Comfy API v2 as an {@link InputSurface}: input files become assets. The bytes are hashed
 * (BLAKE3, `contentHash`); a server that has them already (`HEAD /assets/by-hash/{hash}`) mints an
 * asset from the hash (`POST /assets/from-hash`) and nothing is sent; otherwise they are uploaded
 * (multipart `POST /assets` with `expected_hash`, so a corrupted upload is refused with 409). The
 * answer's `asset` makes the workflow input a `core/ASSET` reference (see `resolveInputs`). The
 * content is read into memory once (hashed, then sent). Masks need the native `/upload/mask`:
 * refused here.
 * @param key Identifies the server (its URL without credentials).
 * @example new InputPlacer(v2InputSurface(v2Http, comfy.url))
 */
export function v2InputSurface(http: AssetHttp, key: string): InputSurface {
  return {
    key,
    place: (request: PlaceRequest): Observable<UploadedFile> => {
      const source = request.content.source;
      if (request.maskOf) return throwError(() => new ComfyInputError(`${source}: masks are a native ComfyUI upload (/upload/mask); the Comfy API v2 has none`, 'rejected', source));
      const filePath = request.subfolder ? `${request.subfolder}/${request.name}` : request.name;
      return defer(() => from(readAll(request.content.open()))).pipe(
        switchMap((bytes) =>
          from(contentHash(bytes)).pipe(
            switchMap((hash) =>
              http.hasBlob(hash).pipe(
                switchMap((known) => (known ? http.assetFromHash(hash, filePath) : of(undefined))),
                switchMap((minted) =>
                  minted
                    ? of(minted)
                    : http.uploadAsset(new Blob([new Uint8Array(bytes)], { type: request.content.contentType }), { contentType: request.content.contentType, filePath, expectedHash: hash, tags: ['input'] }),
                ),
              ),
            ),
          ),
        ),
        map((asset) => storedAsset(asset, filePath)),
        catchError((error: unknown) => throwError(() => asInputError(error, source))),
      );
    },
  };
}
