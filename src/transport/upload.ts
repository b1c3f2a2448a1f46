import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { Observable } from 'rxjs';
import { ComfyConnectionError } from '../errors';

/** The file part of a multipart upload: a stream opened when the request is sent. */
export interface UploadFile {
  /** The file name the server sees (`filename=` of the part). */
  readonly fileName: string;
  readonly contentType: string;
  /** Bytes, when known: the request then has a `Content-Length` (else it is sent chunked). */
  readonly size?: number;
  /** A fresh stream of the bytes (called once per request). */
  open(): Readable;
}

/** A multipart `POST` to send: text fields first, then the file part named `image`. */
export interface MultipartUpload {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly file: UploadFile;
  /** No byte sent or received for this long: the upload fails ({@link ComfyConnectionError}). */
  readonly idleTimeoutMs: number;
  /** Stop sending past this many file bytes (the server's `max_upload_size`): `onTooLarge` decides the error. */
  readonly maxFileBytes?: number;
  readonly onTooLarge?: (sent: number) => Error;
  /** Replaces node:http(s) (an injected `fetch`: the body goes as a web stream). */
  readonly fetch?: typeof fetch;
}

/** The server's answer: its status and body text (upload answers are small JSON). */
export interface UploadAnswer {
  readonly status: number;
  readonly text: string;
  readonly retryAfter?: string;
}

const CRLF = '\r\n';
/** A name in a part header, escaped as browsers do (WHATWG FormData): CR, LF and `"` percent-encoded. */
const quoted = (text: string): string => text.replace(/[\r\n"]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));

/** The multipart envelope around the file: fields and the file part's header before, the closing boundary after. */
function envelope(fields: MultipartUpload['fields'], file: UploadFile): { boundary: string; head: Buffer; tail: Buffer } {
  const boundary = `----comfyui-rx-${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [name, value] of fields) head += `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(name)}"${CRLF}${CRLF}${value}${CRLF}`;
  head += `--${boundary}${CRLF}Content-Disposition: form-data; name="image"; filename="${quoted(file.fileName)}"${CRLF}Content-Type: ${file.contentType}${CRLF}${CRLF}`;
  return { boundary, head: Buffer.from(head, 'utf8'), tail: Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8') };
}

/** Counts the file's bytes on their way out and stops them past a limit. */
class ByteLimit extends Transform {
  sent = 0;
  constructor(
    private readonly max: number,
    private readonly tooLarge: (sent: number) => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sent += chunk.length;
    if (this.sent > this.max) callback(this.tooLarge(this.sent));
    else callback(null, chunk);
  }
}

/** The request body: head, the file (limited), tail; one stream, read as the socket drains. */
function body(upload: MultipartUpload, head: Buffer, tail: Buffer): Readable {
  const file = upload.file.open();
  const limited = upload.maxFileBytes === undefined ? file : pipeline(file, new ByteLimit(upload.maxFileBytes, upload.onTooLarge ?? ((sent) => new RangeError(`upload larger than ${upload.maxFileBytes} bytes (${sent} sent)`))), () => undefined);
  const parts = (async function* () {
    yield head;
    yield* limited;
    yield tail;
  })();
  const stream = Readable.from(parts, { objectMode: false });
  stream.once('close', () => {
    if (!file.destroyed) file.destroy();
  });
  return stream;
}

/**
 * `POST` of one file as `multipart/form-data`, streamed: the file is read as the socket takes it
 * (memory stays at a few socket buffers whatever its size), with `Content-Length` when its size is
 * known. Emits the server's status and body text, whatever the status. Unsubscribing aborts the
 * request. A network failure, an idle connection past `idleTimeoutMs`, or a file that turns out
 * larger than `maxFileBytes` (its error from `onTooLarge`) errors; a source stream's own error
 * is passed on as it is.
 */
export function postMultipart(upload: MultipartUpload): Observable<UploadAnswer> {
  return new Observable<UploadAnswer>((subscriber) => {
    const { boundary, head, tail } = envelope(upload.fields, upload.file);
    const headers: Record<string, string> = { ...upload.headers, 'Content-Type': `multipart/form-data; boundary=${boundary}` };
    if (upload.file.size !== undefined) headers['Content-Length'] = String(head.length + upload.file.size + tail.length);
    const path = new URL(upload.url).pathname;
    const fail = (cause: Error & { code?: string }): void => {
      if (subscriber.closed) return;
      if (cause instanceof ComfyConnectionError || !isNetworkError(cause)) subscriber.error(cause);
      else subscriber.error(new ComfyConnectionError(`Cannot upload to ComfyUI (POST ${path}): ${cause.code ? `${cause.code} ${cause.message}` : cause.message}`, upload.url, {}, { cause }));
    };
    const source = body(upload, head, tail);

    if (upload.fetch) {
      const abort = new AbortController();
      source.once('error', (error) => abort.abort(error));
      upload
        .fetch(upload.url, { method: 'POST', headers, body: Readable.toWeb(source) as ReadableStream, signal: abort.signal, duplex: 'half' } as RequestInit)
        .then(async (response) => ({ status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') ?? undefined }))
        .then(
          (answer) => {
            subscriber.next(answer);
            subscriber.complete();
          },
          (error: unknown) => fail(abort.signal.reason instanceof Error ? abort.signal.reason : (error as Error)),
        );
      return () => {
        abort.abort();
        source.destroy();
      };
    }

    const send = upload.url.startsWith('https:') ? httpsRequest : httpRequest;
    const request = send(upload.url, { method: 'POST', headers });
    let answered = false;
    let finished = false;
    request.setTimeout(upload.idleTimeoutMs, () => request.destroy(new ComfyConnectionError(`Cannot upload to ComfyUI (POST ${path}): no progress for ${upload.idleTimeoutMs} ms`, upload.url)));
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        source.destroy(); // an early answer (413) ends the upload
        finished = true;
        if (subscriber.closed) return;
        const retryAfter = response.headers['retry-after'];
        subscriber.next({ status: response.statusCode ?? 0, text, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
        subscriber.complete();
      });
      response.on('error', fail);
    });
    request.on('error', (error) => {
      if (!answered) fail(error);
    });
    pipeline(source, request, (error) => {
      // a source error (unreadable file, too large) fails the upload; a write error after an early answer does not
      if (error && !answered) {
        request.destroy();
        fail(error);
      }
    });
    return () => {
      source.destroy();
      if (!finished) request.destroy();
    };
  });
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function isNetworkError(error: Error & { code?: string }): boolean {
  return (error.code !== undefined && NETWORK_CODES.has(error.code)) || /fetch failed|socket hang up/i.test(error.message);
}
