import type { Observable } from 'rxjs';
import type { InputContent } from './inputContent';
import type { UploadedFile } from './uploadedFile';

/** Where and how one input file goes onto a server. */
export interface PlaceRequest {
  readonly content: InputContent;
  /** The stored name: content-addressed (`<hash>.<ext>`) or the caller's. */
  readonly name: string;
  readonly subfolder: string;
  readonly type: 'input' | 'temp' | 'output';
  /** Replace a file of that name (else the server keeps both: `name (1).ext`). */
  readonly overwrite: boolean;
  /** The name stands for the content: a file of that name already on the server is that content (no need to send it). */
  readonly contentAddressed: boolean;
  /** A mask: the image on the server whose alpha channel this content replaces. */
  readonly maskOf?: UploadedFile;
}

/**
 * A server as input files see it: given bytes, it places them and answers the stored file whose
 * `value` a Load node's widget takes. The native protocol's is {@link nativeInputSurface}
 * (`HEAD /view`, `/upload/image`, `/upload/mask`); another surface (an asset API) implements the
 * same. Hashing, naming, the per-server memory and the sharing of concurrent identical uploads
 * are done around it (see `InputPlacer`), not in it.
 */
export interface InputSurface {
  /** Identifies the server (its URL without credentials): the memory of what was placed is per key. */
  readonly key: string;
  /**
   * Places the content. Errors are `ComfyInputError`s (`too-large`, `rejected`,
   * `mask-original-missing`, `upload-failed` with the transport error as `cause`).
   */
  place(request: PlaceRequest): Observable<UploadedFile>;
}
