import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Observable, type SchedulerLike, type Subscription, asyncScheduler, throwError, timeout } from 'rxjs';
import { BODY_EXCERPT_CHARS } from '../constants';
import { ComfyConnectionError, ComfyHttpError, ComfyProtocolError } from '../errors';
import { parseRetryAfter } from './retryPolicy';

/** A streamed HTTP body and what the server said of it. The receiver owns `body`. */
export interface DownloadResponse {
  body: IncomingMessage;
  contentType: string;
  /** Bytes announced by the server, when it did (of the whole file, also for a resumed part). */
  contentLength?: number;
  /** The server said `Accept-Ranges: bytes`: a broken body can be resumed. */
  ranges: boolean;
  /** `ETag`, else `Last-Modified`: sent as `If-Range` so a resumed part comes from the same file. */
  validator?: string;
}

/** Where a resumed download starts: the bytes already received, and the first answer's validator. */
export interface ResumeFrom {
  readonly offset: number;
  readonly validator?: string;
}

/**
 * `GET url` over node:http(s), the body as a Node stream: large outputs are written to disk with
 * the kernel's socket buffers only (fetch's web streams let tens of MB of read chunks pile up
 * before the garbage collector runs: the download benchmark measured 62 MB of RSS growth for
 * 200 MB through fetch). Unsubscribing before the headers arrived aborts; a status other than
 * 200 is a {@link ComfyHttpError}, a network failure or no headers within `timeoutMs` (on
 * `scheduler`) a {@link ComfyConnectionError}. With `from`, asks for the rest of the file
 * (`Range`, `If-Range`) and accepts only the `206` part that starts there (anything else is a
 * {@link ComfyProtocolError}: the file cannot be resumed). Redirects (301, 302, 303, 307, 308)
 * are followed, at most 5; `headers` (credentials) go along only while the origin stays the same.
 */
export function download(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  scheduler: SchedulerLike = asyncScheduler,
  from?: ResumeFrom,
  redirects = 0,
): Observable<DownloadResponse> {
  const response$ = new Observable<DownloadResponse>((subscriber) => {
    let delivered = false;
    let redirected: Subscription | undefined;
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const sent: Record<string, string> = { ...headers };
    if (from) {
      sent.Range = `bytes=${from.offset}-`;
      if (from.validator) sent['If-Range'] = from.validator;
    }
    const request = send(url, { method: 'GET', headers: sent }, (response) => {
      const status = response.statusCode ?? 0;
      const location = headerText(response.headers.location);
      if (REDIRECTS.has(status) && location) {
        // Followed here, not by the caller: credentials never go to another origin (a signed storage URL).
        response.resume();
        delivered = true;
        if (redirects >= MAX_REDIRECTS) {
          subscriber.error(new ComfyProtocolError(`GET ${new URL(url).pathname}: more than ${MAX_REDIRECTS} redirects`));
          return;
        }
        const next = new URL(location, url);
        const nextHeaders = next.origin === new URL(url).origin ? headers : {};
        redirected = download(next.href, nextHeaders, timeoutMs, scheduler, from, redirects + 1).subscribe(subscriber);
        return;
      }
      if (from && status !== 206 && status < 300) {
        response.resume();
        subscriber.error(new ComfyProtocolError(`GET ${new URL(url).pathname} cannot be resumed at byte ${from.offset}: the server answered ${status} to a Range request`));
        return;
      }
      if (from && !contentRangeStartsAt(headerText(response.headers['content-range']), from.offset)) {
        response.resume();
        subscriber.error(new ComfyProtocolError(`GET ${new URL(url).pathname} resumed at the wrong byte (Content-Range ${String(response.headers['content-range'])}, wanted ${from.offset})`));
        return;
      }
      if (status !== 200 && !(from && status === 206)) {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < BODY_EXCERPT_CHARS) text += chunk;
        });
        const retryAfterMs = parseRetryAfter(headerText(response.headers['retry-after']), scheduler.now());
        response.on('end', () => subscriber.error(new ComfyHttpError(status, 'GET', url, text.slice(0, BODY_EXCERPT_CHARS), retryAfterMs)));
        response.on('error', (cause) => subscriber.error(new ComfyConnectionError(`GET ${new URL(url).pathname} failed: ${cause.message}`, url, {}, { cause })));
        return;
      }
      delivered = true;
      const length = Number(response.headers['content-length']);
      const validator = headerText(response.headers.etag) ?? headerText(response.headers['last-modified']);
      subscriber.next({
        body: response,
        contentType: response.headers['content-type'] ?? 'application/octet-stream',
        contentLength: response.headers['content-length'] !== undefined && Number.isFinite(length) && length >= 0 ? length + (from?.offset ?? 0) : undefined,
        ranges: headerText(response.headers['accept-ranges'])?.toLowerCase() === 'bytes' || status === 206,
        ...(validator ? { validator } : {}),
      });
      subscriber.complete();
    });
    request.on('error', (cause: Error & { code?: string }) => {
      if (subscriber.closed) return;
      const reason = cause.code ? `${cause.code} ${cause.message}` : cause.message;
      subscriber.error(new ComfyConnectionError(`Cannot download from ComfyUI (GET ${new URL(url).pathname}): ${reason}`, url, {}, { cause }));
    });
    request.end();
    return () => {
      redirected?.unsubscribe();
      if (!delivered) request.destroy();
    };
  });
  return response$.pipe(
    timeout({
      first: timeoutMs,
      with: () => throwError(() => new ComfyConnectionError(`Cannot download from ComfyUI (GET ${new URL(url).pathname}): no answer within ${timeoutMs} ms`, url)),
      scheduler,
    }),
  );
}

/** Statuses whose `Location` is followed. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** `Content-Range: bytes START-END/TOTAL` starts at `offset`. */
function contentRangeStartsAt(header: string | undefined, offset: number): boolean {
  const match = header ? /^bytes (\d+)-/.exec(header.trim()) : null;
  return match !== null && Number(match[1]) === offset;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
