import { ComfyRxError } from '../errors';

/**
 * Why an input file could not be placed on the server:
 * - `not-found`: no file at that path;
 * - `unreadable`: a path that is a folder or cannot be read, a stream that failed;
 * - `url-failed`: the URL answered another status than 200, or could not be fetched;
 * - `too-large`: more than the server's `max_upload_size` (known from `/features`, or its 413);
 * - `inline-too-large`: bytes carried inline in a queue job over the limit;
 * - `mask-original-missing`: the image a mask applies to is not on the server;
 * - `rejected`: the server refused the upload (another 4xx);
 * - `upload-failed`: the server could not be reached or failed (5xx): `cause` has the transport error.
 */
export type InputFailure = 'not-found' | 'unreadable' | 'url-failed' | 'too-large' | 'inline-too-large' | 'mask-original-missing' | 'rejected' | 'upload-failed';

/**
 * An input file (an upload, an `inputFile` handle, a `run(..., { inputs })` value, a queue job's
 * input) could not be read or placed on the server. When it stood in a workflow, `node` and
 * `input` say where, and nothing was posted. `source` describes the source without credentials
 * or query strings (a path, `https://host/file.png`, `<1234 bytes>`).
 */
export class ComfyInputError extends ComfyRxError {
  readonly code = 'COMFYRX_INPUT';
  constructor(
    message: string,
    readonly reason: InputFailure,
    readonly source: string,
    readonly node?: string,
    readonly input?: string,
    options?: ErrorOptions,
  ) {
    super(node !== undefined && input !== undefined ? `Input ${node}.inputs.${input}: ${message}` : message, options);
    this.name = 'ComfyInputError';
  }

  /** The same failure, placed at a workflow input. */
  at(node: string, input: string): ComfyInputError {
    if (this.node !== undefined) return this;
    return new ComfyInputError(this.message, this.reason, this.source, node, input, { cause: this.cause });
  }
}
