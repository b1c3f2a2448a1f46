import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Observable } from 'rxjs';
import { displayUrl } from '../util/displayUrl';
import { MAX_URL_REDIRECTS } from './constants';
import { ComfyInputError } from './errors';

/** A URL's answer: the body as a stream (the receiver owns it) and what the server said of it. */
export interface FetchedUrl {
  readonly body: IncomingMessage;
  readonly contentType?: string;
  readonly contentLength?: number;
  /** The file name of `Content-Disposition`, else the last segment of the final URL's path. */
  readonly fileName?: string;
  /** The URL after redirects. */
  readonly url: URL;
}

function dispositionName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain parameter
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1]?.trim();
}

function pathName(url: URL): string | undefined {
  const last = url.pathname.split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * `GET url` over node:http(s), the body as a Node stream (never buffered: node:http keeps memory
 * at its socket buffers, where fetch's web streams let chunks pile up). Follows up to
 * `MAX_URL_REDIRECTS` redirects; credentials in the URL become a Basic `Authorization` header for
 * that URL only (never sent after a redirect to another origin). Anything but a 200 is a
 * {@link ComfyInputError} (`url-failed`) naming the status; so are network failures and no
 * data for `timeoutMs` (before the answer; after it, the body stream errors). Unsubscribing
 * before the answer aborts.
 */
export function fetchUrl(url: URL, timeoutMs: number): Observable<FetchedUrl> {
  const shown = displayUrl(url);
  return new Observable<FetchedUrl>((subscriber) => {
    let current: ReturnType<typeof httpRequest> | undefined;
    let delivered = false;
    const fail = (message: string, cause?: unknown) => {
      if (!subscriber.closed) subscriber.error(new ComfyInputError(`${shown} ${message}`, 'url-failed', shown, undefined, undefined, cause === undefined ? undefined : { cause }));
    };
    const get = (target: URL, hops: number): void => {
      const headers: Record<string, string> = {};
      if ((target.username || target.password) && target.origin === url.origin) {
        headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
      }
      const bare = new URL(target);
      bare.username = '';
      bare.password = '';
      const send = bare.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(bare, { method: 'GET', headers });
      current = request;
      // an idle socket (no answer, or a body that stops coming) is a failure, never a hang
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no data for ${timeoutMs} ms`)));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location) {
          response.resume();
          if (hops >= MAX_URL_REDIRECTS) return fail(`redirected more than ${MAX_URL_REDIRECTS} times`);
          return get(new URL(location, bare), hops + 1);
        }
        if (status !== 200) {
          response.resume();
          return fail(`answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
        }
        delivered = true;
        const length = Number(response.headers['content-length']);
        subscriber.next({
          body: response,
          contentType: response.headers['content-type'],
          contentLength: response.headers['content-length'] !== undefined && Number.isFinite(length) && length >= 0 ? length : undefined,
          fileName: dispositionName(response.headers['content-disposition']) ?? pathName(bare),
          url: bare,
        });
        subscriber.complete();
      });
      request.on('error', (error: Error & { code?: string }) => fail(`could not be fetched: ${error.code ? `${error.code} ` : ''}${error.message}`, error));
      request.end();
    };
    get(url, 0);
    return () => {
      if (!delivered) current?.destroy();
    };
  });
}
