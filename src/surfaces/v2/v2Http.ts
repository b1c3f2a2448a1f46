import { isNativeError } from 'node:util/types';
import { createParser } from 'eventsource-parser';
import { Observable, type SchedulerLike, asyncScheduler, throwError, timeout } from 'rxjs';
import type { z } from 'zod';
import { BODY_EXCERPT_CHARS, DEFAULT_REQUEST_TIMEOUT_MS } from '../../constants';
import { ComfyConnectionError, ComfyHttpError, ComfyProtocolError, ComfyRetriesExhaustedError, ComfyValidationError } from '../../errors';
import type { Logger } from '../../log';
import { retryTransient } from '../../operators/retryTransient';
import { type ComfyEndpoint, comfyEndpoint } from '../../transport/endpoint';
import { type RetryOptions, type RetryPolicy, parseRetryAfter, retryPolicy, transientWait } from '../../transport/retryPolicy';
import { v2ErrorFrom } from './errors';
import { V2Asset, V2Health, V2Job, V2JobList, type V2JobRequest, type V2StreamEvent, parseStreamEvent } from './wire';

/** Options of {@link V2Http}. */
export interface V2HttpOptions {
  /** The server's base URL (the API lives under `api/v2/`): `https://cloud.comfy.org`, `http://127.0.0.1:8189`. */
  url: string | URL;
  /** Sent as `Authorization: Bearer` to this server's origin only (never to signed URLs or redirects elsewhere). */
  apiKey?: string;
  /** Extra headers for this server's origin only. Never logged. */
  headers?: Readonly<Record<string, string>>;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  logger: Logger;
  scheduler?: SchedulerLike;
  /** Retries of idempotent calls (GET, HEAD, cancel); a submit is never retried here (see `submitJob`). */
  retry?: RetryOptions;
}

/** One item of a job's event stream: the stream opened, an event, or a sign of life (a comment). */
export type V2StreamItem = { readonly type: 'open' } | { readonly type: 'event'; readonly event: V2StreamEvent } | { readonly type: 'alive' };

/** Query of {@link V2Http.jobs}. */
export interface V2JobQuery {
  readonly status?: readonly string[];
  readonly limit?: number;
}

interface Call {
  readonly method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  readonly url: string;
  readonly json?: unknown;
  readonly form?: FormData;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses besides 2xx given to `read`. */
  readonly accept?: readonly number[];
  /** Idempotent: retried on transient failures. */
  readonly retried?: boolean;
  /** Unsubscribing aborts the request (uploads). */
  readonly abortable?: boolean;
}

/**
 * The Comfy API v2 over fetch (jobs, their event streams, assets): each call a cold Observable,
 * answers checked with the v2 schemas, errors typed (`ComfyApiError` and its kinds with the
 * server's request id, `ComfyApiValidationError`, `ComfyConnectionError`, `ComfyProtocolError`).
 * Server links are followed as the contract says (absolute, or host-relative against the origin).
 * The API key and extra headers go to this server's origin only.
 */
export class V2Http {
  readonly endpoint: ComfyEndpoint;
  readonly #apiKey: string | undefined;
  private readonly extraHeaders: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly log: Logger;
  private readonly scheduler: SchedulerLike;
  private readonly retry: RetryPolicy;

  constructor(options: V2HttpOptions) {
    this.endpoint = comfyEndpoint(options.url);
    this.#apiKey = options.apiKey;
    this.extraHeaders = { ...this.endpoint.authHeaders, ...options.headers };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.log = options.logger.child({ component: 'v2-http' });
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.retry = retryPolicy(options.retry);
  }

  /** The API's URL of `path` (`jobs/{id}`), or a server link resolved (absolute, or host-relative against the origin). */
  resolve(pathOrLink: string): string {
    if (/^https?:\/\//i.test(pathOrLink)) return pathOrLink;
    if (pathOrLink.startsWith('/')) return this.endpoint.base.origin + pathOrLink;
    return this.endpoint.http(`api/v2/${pathOrLink}`);
  }

  /** The headers for a request to `url`: credentials and extra headers only on this server's origin. */
  headersFor(url: string): Record<string, string> {
    if (!sameOrigin(url, this.endpoint.base)) return {};
    return this.#apiKey ? { ...this.extraHeaders, Authorization: `Bearer ${this.#apiKey}` } : { ...this.extraHeaders };
  }

  /** `GET /api/v2/health`: the process answers (the proxy does not probe ComfyUI). Not retried. */
  health(): Observable<V2Health> {
    return this.json({ method: 'GET', url: this.resolve('health') }, V2Health);
  }

  /** `POST /api/v2/jobs` with an `Idempotency-Key`: 201 Job. Never retried here. */
  submit(body: V2JobRequest, idempotencyKey: string): Observable<V2Job> {
    return this.json({ method: 'POST', url: this.resolve('jobs'), json: body, headers: { 'Idempotency-Key': idempotencyKey } }, V2Job);
  }

  /** `GET /api/v2/jobs/{id}` (or the job's `urls.self`). */
  job(idOrLink: string): Observable<V2Job> {
    return this.json({ method: 'GET', url: this.jobUrl(idOrLink), retried: true }, V2Job);
  }

  /** `GET /api/v2/jobs?status=&limit=`: newest first (comfy-api-proxy's; not every surface lists jobs). */
  jobs(query: V2JobQuery = {}): Observable<V2JobList> {
    const params = new URLSearchParams();
    if (query.status?.length) params.set('status', query.status.join(','));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return this.json({ method: 'GET', url: `${this.resolve('jobs')}${search ? `?${search}` : ''}`, retried: true }, V2JobList);
  }

  /** `POST /api/v2/jobs/{id}/cancel` (or the job's `urls.cancel`): idempotent, so retried. The answer is the job as the server saw it then. */
  cancel(idOrLink: string): Observable<V2Job> {
    const url = /^https?:|^\//.test(idOrLink) ? this.resolve(idOrLink) : this.resolve(`jobs/${encodeURIComponent(idOrLink)}/cancel`);
    return this.json({ method: 'POST', url, retried: true }, V2Job);
  }

  /**
   * One connection to a job's event stream (`GET .../events`, or the job's `urls.events`): `open`
   * once the server accepted it, each event, `alive` for every comment (heartbeats). Completes
   * when the server ends it; errors with the typed error of a refusal (a 429 carries
   * `retryAfterMs`) or a `ComfyConnectionError` when the connection breaks. Unsubscribing closes it.
   */
  events(idOrLink: string): Observable<V2StreamItem> {
    const url = /^https?:|^\//.test(idOrLink) ? this.resolve(idOrLink) : this.resolve(`jobs/${encodeURIComponent(idOrLink)}/events`);
    return new Observable<V2StreamItem>((subscriber) => {
      const abort = new AbortController();
      const parser = createParser({
        onEvent: (message) => {
          const event = parseStreamEvent(message.event, message.data);
          if (event) subscriber.next({ type: 'event', event });
          else this.log.warn({ event: message.event, excerpt: message.data.slice(0, BODY_EXCERPT_CHARS) }, 'stream event with an unexpected body skipped');
        },
        onComment: () => subscriber.next({ type: 'alive' }),
      });
      this.fetchImpl(url, { method: 'GET', headers: { ...this.headersFor(url), Accept: 'text/event-stream' }, signal: abort.signal })
        .then(async (response) => {
          if (response.status !== 200) throw await this.errorOf(response, 'GET', url);
          subscriber.next({ type: 'open' });
          const decoder = new TextDecoder();
          const reader = response.body?.getReader();
          for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) parser.feed(decoder.decode(chunk.value, { stream: true }));
          subscriber.complete();
        })
        .catch((error: unknown) => {
          if (!subscriber.closed) subscriber.error(toTypedError(error, 'GET', url));
        });
      return () => abort.abort();
    });
  }

  /** `POST /api/v2/assets` (multipart, the file part last): 201 new bytes, 200 a dedupe hit. Unsubscribing aborts the upload. */
  uploadAsset(file: Blob, fields: { readonly contentType: string; readonly filePath: string; readonly expectedHash?: string; readonly tags?: readonly string[] }): Observable<V2Asset> {
    const form = new FormData();
    form.append('content_type', fields.contentType);
    form.append('file_path', fields.filePath);
    if (fields.expectedHash) form.append('expected_hash', fields.expectedHash);
    for (const tag of fields.tags ?? []) form.append('tags', tag);
    form.append('file', file, fields.filePath.split('/').pop() ?? 'file');
    return this.json({ method: 'POST', url: this.resolve('assets'), form, abortable: true }, V2Asset);
  }

  /** `POST /api/v2/assets/from-hash`: an asset over bytes the server already has, or `undefined` (404 `blob_not_found`). */
  assetFromHash(hash: string, filePath?: string): Observable<V2Asset | undefined> {
    return this.send({ method: 'POST', url: this.resolve('assets/from-hash'), json: { hash, ...(filePath ? { file_path: filePath } : {}) }, accept: [404] }, async (response, url) => {
      if (response.status === 404) {
        const text = await response.text();
        if (/blob_not_found/.test(text)) return undefined;
        throw v2ErrorFrom(404, 'POST', url, text, response.headers.get('x-comfy-request-id') ?? undefined, undefined);
      }
      return readJson(response, url, 'POST', V2Asset);
    });
  }

  /** `HEAD /api/v2/assets/by-hash/{hash}`: whether the server has these bytes. */
  hasBlob(hash: string): Observable<boolean> {
    return this.send({ method: 'HEAD', url: this.resolve(`assets/by-hash/${hash}`), accept: [404], retried: true }, async (response) => {
      await response.arrayBuffer();
      return response.status !== 404;
    });
  }

  private jobUrl(idOrLink: string): string {
    return /^https?:|^\//.test(idOrLink) ? this.resolve(idOrLink) : this.resolve(`jobs/${encodeURIComponent(idOrLink)}`);
  }

  private json<S extends z.ZodType>(call: Call, schema: S): Observable<z.infer<S>> {
    return this.send(call, (response, url) => readJson(response, url, call.method, schema));
  }

  private send<T>(call: Call, read: (response: Response, url: string) => Promise<T>): Observable<T> {
    const once = this.attempt(call, read);
    if (!call.retried) return once;
    return once.pipe(
      retryTransient<T>({
        policy: this.retry,
        transient: transientWait,
        giveUp: (lastError, retries, elapsedMs, stop) => new ComfyRetriesExhaustedError(call.method, call.url, retries, elapsedMs, stop, lastError),
        onRetry: ({ attempt, delayMs, error }) => this.log.debug({ method: call.method, path: new URL(call.url).pathname, attempt, delayMs, err: error }, 'retrying'),
        scheduler: this.scheduler,
      }),
    );
  }

  private attempt<T>(call: Call, read: (response: Response, url: string) => Promise<T>): Observable<T> {
    const { url } = call;
    const request$ = new Observable<T>((subscriber) => {
      const abort = call.abortable ? new AbortController() : undefined;
      const headers: Record<string, string> = { ...this.headersFor(url), ...call.headers };
      let body: string | FormData | undefined;
      if (call.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(call.json);
      } else if (call.form) body = call.form;
      this.fetchImpl(url, { method: call.method, headers, body, signal: abort?.signal, redirect: 'manual' })
        .then(async (response) => {
          if ((response.status < 200 || response.status > 299) && !call.accept?.includes(response.status)) throw await this.errorOf(response, call.method, url);
          return read(response, url);
        })
        .then(
          (value) => {
            subscriber.next(value);
            subscriber.complete();
          },
          (error: unknown) => {
            if (!subscriber.closed) subscriber.error(toTypedError(error, call.method, url));
          },
        );
      return () => abort?.abort();
    });
    return request$.pipe(
      timeout({
        first: this.timeoutMs,
        with: () => throwError(() => new ComfyConnectionError(`${call.method} ${new URL(url).pathname} got no answer within ${this.timeoutMs} ms`, url)),
        scheduler: this.scheduler,
      }),
    );
  }

  private async errorOf(response: Response, method: string, url: string): Promise<Error> {
    const text = await response.text().catch(() => '');
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return v2ErrorFrom(response.status, method, url, text, response.headers.get('x-comfy-request-id') ?? undefined, retryAfterMs);
  }
}

/** Whether `url` is on the origin (scheme, host, port) of `base`. */
export function sameOrigin(url: string, base: URL): boolean {
  try {
    return new URL(url).origin === base.origin;
  } catch {
    return false;
  }
}

async function readJson<S extends z.ZodType>(response: Response, url: string, method: string, schema: S): Promise<z.infer<S>> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ComfyProtocolError(`${method} ${new URL(url).pathname} answered ${response.status} with a body that is not JSON`, { excerpt: text.slice(0, BODY_EXCERPT_CHARS) }, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ComfyProtocolError(`${method} ${new URL(url).pathname} answered with an unexpected shape`, { issues: parsed.error.issues, excerpt: text.slice(0, BODY_EXCERPT_CHARS) });
  return parsed.data;
}

function toTypedError(error: unknown, method: string, url: string): Error {
  if (error instanceof ComfyHttpError || error instanceof ComfyValidationError || error instanceof ComfyProtocolError || error instanceof ComfyConnectionError) return error;
  if (isNativeError(error)) {
    const cause = (error as { cause?: unknown }).cause;
    const reason = isNativeError(cause) ? ((cause as { code?: string }).code ?? cause.message) : error.message;
    return new ComfyConnectionError(`Cannot reach the Comfy API (${method} ${new URL(url).pathname}): ${reason}`, url, {}, { cause: error });
  }
  return new Error(String(error));
}

