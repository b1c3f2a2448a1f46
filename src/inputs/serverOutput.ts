import type { ViewSource } from '../outputs/saveOutputs';
import type { OutputFileRef } from '../protocol/api';
import { displayUrl } from '../util/displayUrl';
import { uploadedFile, type UploadedFile } from './uploadedFile';

/**
 * A file a prompt saved on a server, as the source of an input: on that same server it is used
 * where it is (its annotated name, `"ComfyUI_00001_.png [output]"`: no upload); on another server
 * it is downloaded from the first (`GET /view`, streamed) and uploaded to the second.
 */
export class ServerOutput {
  /** The server holding the file (its URL without credentials: the key of its `InputSurface`). */
  readonly key: string;

  constructor(
    readonly file: OutputFileRef,
    readonly origin: ViewSource,
  ) {
    this.key = displayUrl(origin.endpoint.base);
  }

  /** The file as the Load nodes of its own server take it (`sub/name.png [output]`). */
  get stored(): UploadedFile {
    return uploadedFile({ name: this.file.filename, subfolder: this.file.subfolder, type: this.file.type });
  }
}

/**
 * The output `file` of the server `origin` (a `ComfyHttp`, e.g. `pool.httpFor(done)`) as an input
 * source: see {@link ServerOutput}.
 * @example inputFile(serverOutput({ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }, comfy.http))
 */
export function serverOutput(file: OutputFileRef, origin: ViewSource): ServerOutput {
  return new ServerOutput(file, origin);
}
