import { Readable } from 'node:stream';
import { isNativeError } from 'node:util/types';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Observable, type SchedulerLike, asyncScheduler, defer, map, of, tap } from 'rxjs';
import { z } from 'zod';
import { BODY_EXCERPT_CHARS, DEFAULT_REQUEST_TIMEOUT_MS } from '../constants';
import { ComfyConnectionError, ComfyHttpError, ComfyProtocolError, ComfyPromptRejectedError, ComfyRetriesExhaustedError, ComfyValidationError } from '../errors';
import type { Logger } from '../log';
import { retryTransient } from '../operators/retryTransient';
import {
  HistoryResponse,
  Job,
  PromptErrorBody,
  PromptQueueInfo,
  PromptResponse,
  QueueResponse,
  SystemStats,
  UploadResponse,
  type HistoryEntry,
  type OutputFileRef,
  type PromptRequest,
} from '../protocol/api';
import { FeatureFlags } from '../protocol/messages';
import { NodeReplacementTable } from '../protocol/nodeReplacements';
import { ObjectInfo } from '../protocol/objectInfo';
import { parsePythonJson } from '../protocol/pythonJson';
import { type DownloadResponse, type ResumeFrom, download } from './download';
import { type HttpAnswer, type NodeAgents, nodeAgents, nodeRequest } from './nodeRequest';
import { resumableBody } from './resumableBody';
import { type UploadFile, postMultipart } from './upload';
import { comfyEndpoint, type ComfyEndpoint } from './endpoint';
import { describeRejection } from '../util/describeRejection';
import { type RetryOptions, type RetryPolicy, parseRetryAfter, retryPolicy, transientWait } from './retryPolicy';

export interface ComfyHttpOptions {
  /** Base URL of the server, with or without a path prefix: `http://host:8188`, `https://x/comfy/`. */
  url: string | URL;
  /** Sent with every call (e.g. `Authorization`). Never logged. */
  headers?: Readonly<Record<string, string>>;
  /** Per-call timeout for JSON calls, ms. */
  requestTimeoutMs?: number;
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
  logger: Logger;
  /** Drives request timeouts and retry waits (virtual time in tests). Defaults to `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** How `GET`s are retried (see {@link RetryOptions}); `POST`s never are. */
  retry?: RetryOptions;
  /**
   * Headers for the download of a file whose reference carries its own `url` (a Comfy API v2
   * output asset), given that URL. Default: this client's headers on its own origin, none elsewhere.
   */
  contentHeaders?: (url: string) => Readonly<Record<string, string>>;
  /**
   * Abort every request whose subscriber leaves before the answer. Default false: only uploads and
   * streamed downloads are (an AbortSignal costs fetch about 90 µs a call); see {@link ComfyHttp.forProbe}.
   */
  abortOnUnsubscribe?: boolean;
}

/**
 * What `GET /api/jobs/{id}` said: `found`, `unknown` (the server has no such prompt: 404
 * `{"error": "Job not found"}`), or `unsupported` (a server without the jobs API: learnt from its
 * first plain 404, then never asked again by this client).
 */
export type JobLookup = { readonly kind: 'found'; readonly job: Job } | { readonly kind: 'unknown' } | { readonly kind: 'unsupported' };

/**
 * What `POST /api/jobs/{id}/cancel` said: `answered` (`cancelled`: a running job was interrupted
 * or a pending one dequeued; false for a finished or unknown id), or `unsupported` (a server
 * without the route, 0.8.0 and older: learnt from its first 404 or 405, then never asked again).
 */
export type JobCancel = { readonly kind: 'answered'; readonly cancelled: boolean } | { readonly kind: 'unsupported' };

/** A `/view` answer: the body as a Node stream (the caller owns it) and what the server said of it. */
export interface ViewResponse {
  body: Readable;
  contentType: string;
  /** Bytes announced by the server, when it did. */
  contentLength?: number;
}

/** `{"cancelled": bool}` of the cancel routes. */
const JobCancelAnswer = z.object({ cancelled: z.boolean() });

type Query = Readonly<Record<string, string | number | undefined>>;
interface RequestSpec {
  method: 'GET' | 'HEAD' | 'POST';
  path: string;
  query?: Query;
  /** An absolute URL instead of `path` and `query` (a v2 asset's content), with its own `headers`. */
  url?: string;
  headers?: Readonly<Record<string, string>>;
  json?: unknown;
  form?: FormData;
}

/**
 * The ComfyUI REST API over global fetch (docs/protocol.md §6). Every call is a cold
 * Observable: subscribing sends the request; unsubscribing before the answer aborts an upload or a
 * download and drops the answer of a small JSON call. Answers are validated
 * with the protocol schemas; failures are typed (`ComfyHttpError`, `ComfyConnectionError`,
 * `ComfyValidationError`, `ComfyProtocolError`).
 */
export class ComfyHttp {
  readonly endpoint: ComfyEndpoint;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly customFetch: boolean;
  /** Keep-alive pools of the JSON calls over node:http(s) (made on first use). */
  private agents: NodeAgents | undefined;
  private readonly log: Logger;
  private readonly scheduler: SchedulerLike;
  private readonly retry: RetryPolicy;
  /** Whether the server has `/api/jobs` (unknown until the first answer). */
  private jobsApi: boolean | undefined;
  /** Whether the server has `POST /api/jobs/{id}/cancel` (unknown until the first answer). */
  private jobsCancel: boolean | undefined;

  constructor(private readonly options: ComfyHttpOptions) {
    this.endpoint = comfyEndpoint(options.url);
    this.headers = { ...this.endpoint.authHeaders, ...options.headers };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.customFetch = options.fetch !== undefined;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.log = options.logger.child({ component: 'http' });
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.retry = retryPolicy(options.retry);
  }

  /**
   * The same calls with another retry policy (`{ maxAttempts: 0 }`: none, for a probe that must
   * fail fast against a dead server).
   */
  withRetry(retry: RetryOptions): ComfyHttp {
    return new ComfyHttp({ ...this.options, retry: { ...this.options.retry, ...retry } });
  }

  /**
   * The same calls for a probe that must fail fast: never retried, and aborted when the caller
   * gives up (a server that accepts the connection and never answers keeps no request open).
   * @example firstValueFrom(http.forProbe().queueInfo().pipe(timeout(10_000)))
   */
  forProbe(): ComfyHttp {
    return new ComfyHttp({ ...this.options, retry: { ...this.options.retry, maxAttempts: 0 }, abortOnUnsubscribe: true });
  }

  /** True once the server answered `/api/jobs` (false once it showed it has none; undefined before). */
  get hasJobsApi(): boolean | undefined {
    return this.jobsApi;
  }

  /** `POST /prompt`. A 400 becomes {@link ComfyPromptRejectedError} with the server's `node_errors`. */
  queuePrompt(body: PromptRequest): Observable<PromptResponse> {
    return this.send({ method: 'POST', path: 'prompt', json: body }, async (response, url) => {
      if (response.status === 400) {
        const text = await response.text();
        const parsed = PromptErrorBody.safeParse(tryJson(text));
        if (parsed.success) {
          const { error, node_errors } = parsed.data;
          throw new ComfyPromptRejectedError(describeRejection(error.message, node_errors), error.type, node_errors, error.details);
        }
        throw new ComfyHttpError(400, 'POST', url, text.slice(0, BODY_EXCERPT_CHARS));
      }
      return readJson(response, url, 'POST', PromptResponse);
    }, { accept: [400] });
  }

  /** `GET /history/{id}`: the entry, or `undefined` while the server has none (pending, running, unknown). */
  history(promptId: string): Observable<HistoryEntry | undefined> {
    return this.getJson(`history/${encodeURIComponent(promptId)}`, HistoryResponse).pipe(map((all) => all[promptId]));
  }

  /** `GET /history?max_items=N`: the last N finished prompts, oldest first. */
  historyList(maxItems?: number): Observable<HistoryResponse> {
    return this.getJson('history', HistoryResponse, { max_items: maxItems });
  }

  /** `GET /queue`: running and pending items (pending in heap order, not sorted). */
  queue(): Observable<QueueResponse> {
    return this.getJson('queue', QueueResponse);
  }

  /** `GET /prompt`: `{exec_info: {queue_remaining}}`. */
  queueInfo(): Observable<PromptQueueInfo> {
    return this.getJson('prompt', PromptQueueInfo);
  }

  /** `POST /queue {delete}`: removes pending prompts (a running one is not affected). */
  deleteFromQueue(promptIds: readonly string[]): Observable<void> {
    return this.postEmpty('queue', { delete: promptIds });
  }

  /** `POST /queue {clear: true}`: removes every pending prompt, anyone's. */
  clearQueue(): Observable<void> {
    return this.postEmpty('queue', { clear: true });
  }

  /**
   * `POST /interrupt`. With `promptId`, only that prompt is interrupted, and only if it is running:
   * another client's prompt is never touched. Without, whatever runs is interrupted.
   */
  interrupt(promptId?: string): Observable<void> {
    return this.postEmpty('interrupt', promptId === undefined ? {} : { prompt_id: promptId });
  }

  /** `POST /free`: unload models and/or free memory (clears the execution cache). */
  free(options: { unloadModels?: boolean; freeMemory?: boolean } = {}): Observable<void> {
    return this.postEmpty('free', { unload_models: options.unloadModels ?? false, free_memory: options.freeMemory ?? false });
  }

  /** `GET /system_stats` */
  systemStats(): Observable<SystemStats> {
    return this.getJson('system_stats', SystemStats);
  }

  /** `GET /object_info[/{class}]`: node definitions (every class, or one: `{}` if unknown). */
  objectInfo(classType?: string): Observable<ObjectInfo> {
    return this.getJson(classType ? `object_info/${encodeURIComponent(classType)}` : 'object_info', ObjectInfo);
  }

  /**
   * `GET /object_info` checked only as an object of classes, each left as the server sent it: for
   * `ObjectInfoIndex`, which parses a class when it is looked up (one odd custom node cannot spoil
   * the rest, and 400 KB are not parsed up front).
   */
  objectInfoRaw(): Observable<Record<string, unknown>> {
    return this.getJson('object_info', z.record(z.string(), z.unknown()));
  }

  /**
   * `GET /api/jobs/{id}` (docs/protocol.md §6.14): the prompt's state in one call, on servers that have the jobs
   * API (ComfyUI 0.8.0+). Whether they do is learnt once per client: after a plain 404 (no route),
   * later lookups answer `unsupported` without a request.
   */
  job(promptId: string): Observable<JobLookup> {
    if (this.jobsApi === false) return of({ kind: 'unsupported' } as const);
    const spec: RequestSpec = { method: 'GET', path: `api/jobs/${encodeURIComponent(promptId)}` };
    return this.send(spec, async (response, url): Promise<JobLookup> => {
      if (response.status === 404) {
        const text = await response.text();
        const body = tryJson(text);
        if (typeof body === 'object' && body !== null && 'error' in body) return { kind: 'unknown' };
        return { kind: 'unsupported' };
      }
      return { kind: 'found', job: await readJson(response, url, 'GET', Job) };
    }, { accept: [404] }).pipe(tap((lookup) => (this.jobsApi = lookup.kind !== 'unsupported')));
  }

  /**
   * `POST /api/jobs/{id}/cancel` (newer servers): cancels the prompt atomically, whatever its
   * state (a running one is interrupted only if it still runs, a pending one dequeued). Whether
   * the server has the route is learnt once per client: after a 404 or 405, later calls answer
   * `unsupported` without a request (callers then use `POST /queue {delete}` and `/interrupt`).
   */
  cancelJob(promptId: string): Observable<JobCancel> {
    if (this.jobsCancel === false) return of({ kind: 'unsupported' } as const);
    const spec: RequestSpec = { method: 'POST', path: `api/jobs/${encodeURIComponent(promptId)}/cancel`, json: {} };
    return this.send(spec, async (response, url): Promise<JobCancel> => {
      if (response.status === 404 || response.status === 405) {
        await response.arrayBuffer();
        return { kind: 'unsupported' };
      }
      const { cancelled } = await readJson(response, url, 'POST', JobCancelAnswer);
      return { kind: 'answered', cancelled };
    }, { accept: [404, 405] }).pipe(tap((answer) => (this.jobsCancel = answer.kind === 'answered')));
  }

  /** `GET /features`: the server's feature flags (`supports_preview_metadata`, `max_upload_size`, `node_replacements`...). */
  features(): Observable<FeatureFlags> {
    return this.getJson('features', FeatureFlags);
  }

  /** `GET /node_replacements` (servers whose `/features` say `node_replacements`): old class -> replacements. */
  nodeReplacements(): Observable<NodeReplacementTable> {
    return this.getJson('node_replacements', NodeReplacementTable);
  }

  /**
   * `GET /view` as a stream: nothing is buffered. The caller owns `body` (destroy it to stop).
   * Unsubscribing before the headers arrived aborts the request. Failures before the body are
   * retried from the start; a body that breaks off is resumed with `Range` where the server allows
   * it (see {@link resumableBody}), else it errors (a partial file never lands). Without an injected `fetch`, the
   * body comes over node:http(s) (see {@link download}: far less memory for large outputs).
   */
  view(file: OutputFileRef, options: { preview?: string; channel?: string } = {}): Observable<ViewResponse> {
    const query = { filename: file.filename, subfolder: file.subfolder, type: file.type, preview: options.preview, channel: options.channel };
    // A Comfy API v2 output carries the URL of its bytes (maybe a signed URL on another origin: no credentials go there).
    const contentUrl = file.url === undefined ? undefined : new URL(file.url, this.endpoint.base).href;
    const headers = contentUrl === undefined ? this.headers : (this.options.contentHeaders?.(contentUrl) ?? (new URL(contentUrl).origin === this.endpoint.base.origin ? this.headers : {}));
    if (!this.customFetch) {
      const url = contentUrl ?? this.endpoint.http('view', query);
      const get = (from?: ResumeFrom) => download(url, headers, this.timeoutMs, this.scheduler, from).pipe(this.retried<DownloadResponse>('GET', url));
      return get().pipe(
        map((first): ViewResponse => ({
          body: resumableBody(first, get, this.retry.maxAttempts, url),
          contentType: first.contentType,
          ...(first.contentLength !== undefined ? { contentLength: first.contentLength } : {}),
        })),
      );
    }
    return this.send({ method: 'GET', path: 'view', query, ...(contentUrl ? { url: contentUrl, headers } : {}) }, async (response) => {
      const length = Number(response.headers.get('content-length'));
      const web = (response as Response).body as WebReadableStream<Uint8Array> | null; // keepBody: always fetch's Response
      return {
        body: web ? Readable.fromWeb(web) : Readable.from([]),
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        contentLength: Number.isFinite(length) && length >= 0 && response.headers.get('content-length') !== null ? length : undefined,
      };
    }, { keepBody: true });
  }

  /**
   * `POST /upload/image` (multipart) of bytes already in memory, under `fileName`. The answer's key
   * is `name`: the name the server stored. See {@link upload} for files and streams (and
   * `ComfyClient.upload` for dedupe and masks).
   */
  uploadImage(
    image: Blob | Uint8Array,
    fileName: string,
    options: { subfolder?: string; type?: 'input' | 'temp' | 'output'; overwrite?: boolean } = {},
  ): Observable<UploadResponse> {
    const open = (): Readable => (image instanceof Blob ? Readable.fromWeb(image.stream() as WebReadableStream<Uint8Array>) : Readable.from([Buffer.from(image.buffer, image.byteOffset, image.byteLength)]));
    const size = image instanceof Blob ? image.size : image.byteLength;
    return this.upload({ file: { fileName, contentType: (image instanceof Blob && image.type) || 'application/octet-stream', size, open }, ...options });
  }

  /**
   * `POST /upload/image`, or `/upload/mask` with `maskOf` (the image already on the server whose
   * alpha channel the file replaces), the file streamed from `request.file.open()` (see
   * {@link postMultipart}: bounded memory whatever its size). Never retried (the source may not be
   * readable twice). Unsubscribing aborts. The answer is `{name, subfolder, type}`; another status
   * is a {@link ComfyHttpError} (413: over the server's `max_upload_size`).
   */
  upload(request: UploadRequest): Observable<UploadResponse> {
    return defer(() => {
      const path = request.maskOf ? 'upload/mask' : 'upload/image';
      const url = this.endpoint.http(path);
      const fields: Array<readonly [string, string]> = [];
      if (request.type) fields.push(['type', request.type]);
      if (request.subfolder) fields.push(['subfolder', request.subfolder]);
      if (request.overwrite) fields.push(['overwrite', 'true']);
      if (request.maskOf) fields.push(['original_ref', JSON.stringify(request.maskOf)]);
      const started = this.scheduler.now();
      return postMultipart({
        url,
        headers: this.headers,
        fields,
        file: request.file,
        idleTimeoutMs: this.timeoutMs,
        maxFileBytes: request.maxFileBytes,
        onTooLarge: request.onTooLarge,
        fetch: this.customFetch ? this.fetchImpl : undefined,
      }).pipe(
        map((answer) => {
          if (answer.status < 200 || answer.status >= 300) {
            throw new ComfyHttpError(answer.status, 'POST', url, answer.text.slice(0, BODY_EXCERPT_CHARS), parseRetryAfter(answer.retryAfter ?? null, this.scheduler.now()));
          }
          this.log.debug({ method: 'POST', path, status: answer.status, ms: Math.round(this.scheduler.now() - started) }, 'http');
          return parseJsonText(answer.text, url, 'POST', UploadResponse);
        }),
      );
    });
  }

  /**
   * `HEAD /view`: whether the server holds the file (200: true, 404: false). Retried like a `GET`;
   * another status is a {@link ComfyHttpError}.
   */
  fileExists(file: OutputFileRef): Observable<boolean> {
    const query = { filename: file.filename, subfolder: file.subfolder, type: file.type };
    return this.send({ method: 'HEAD', path: 'view', query }, async (response) => response.status !== 404, { accept: [404] });
  }

  private getJson<S extends z.ZodType>(path: string, schema: S, query?: Query): Observable<z.infer<S>> {
    return this.send({ method: 'GET', path, query }, (response, url) => readJson(response, url, 'GET', schema));
  }

  private postEmpty(path: string, json: unknown): Observable<void> {
    return this.send({ method: 'POST', path, json }, async (response) => {
      await response.arrayBuffer(); // drain: ComfyUI answers these with an empty body
    });
  }

  /**
   * Sends one request (a `GET` is retried on transient failures, see {@link RetryOptions}); `read`
   * turns an OK answer (or one of the statuses in `accept`) into the value. Any other status is a
   * {@link ComfyHttpError}; a network failure, or no answer within `requestTimeoutMs`, a
   * {@link ComfyConnectionError}; transient failures past the retry budget a
   * {@link ComfyRetriesExhaustedError}.
   */
  private send<T>(spec: RequestSpec, read: (response: HttpAnswer, url: string) => Promise<T>, options: SendOptions = {}): Observable<T> {
    const once = this.attempt(spec, read, options);
    return spec.method === 'POST' ? once : once.pipe(this.retried(spec.method, spec.url ?? this.endpoint.http(spec.path, spec.query)));
  }

  /** Retries of an idempotent request, logged at debug. */
  private retried<T>(method: string, url: string): (source: Observable<T>) => Observable<T> {
    return retryTransient<T>({
      policy: this.retry,
      transient: transientWait,
      giveUp: (lastError, retries, elapsedMs, stop) => new ComfyRetriesExhaustedError(method, url, retries, elapsedMs, stop, lastError),
      onRetry: ({ attempt, delayMs, error }) => this.log.debug({ method, path: pathOf(url), attempt, delayMs, err: error }, 'retrying'),
      scheduler: this.scheduler,
    });
  }

  /**
   * One request. JSON calls (no form, no streamed body) go over node:http(s) with a keep-alive pool
   * ({@link nodeRequest}: about half the CPU of `fetch` a call), unless a `fetch` was injected.
   * Only bodies worth stopping (uploads, streamed downloads through an injected fetch) get an
   * AbortSignal: it costs fetch about 90 µs of CPU a call. A JSON call whose caller unsubscribed or
   * timed out is left to finish and its answer dropped (a `POST /prompt` must not be aborted
   * anyway: its answer is what a cancel needs). The timeout is one scheduled action per call,
   * dropped with the first answer (a streamed body then has no time limit).
   */
  private attempt<T>(spec: RequestSpec, read: (response: HttpAnswer, url: string) => Promise<T>, options: SendOptions): Observable<T> {
    const url = spec.url ?? this.endpoint.http(spec.path, spec.query);
    return new Observable<T>((subscriber) => {
      const abort = options.keepBody || options.abortable || this.options.abortOnUnsubscribe ? new AbortController() : undefined;
      let delivered = false;
      const started = this.scheduler.now();
      const timer = this.scheduler.schedule(() => {
        abort?.abort();
        subscriber.error(new ComfyConnectionError(`${spec.method} ${pathOf(url)} got no answer within ${this.timeoutMs} ms`, url));
      }, this.timeoutMs);
      const headers: Record<string, string> = { ...(spec.headers ?? this.headers) };
      let body: string | FormData | undefined;
      if (spec.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(spec.json);
      } else if (spec.form) {
        body = spec.form;
      }
      const answer: Promise<HttpAnswer> =
        this.customFetch || typeof body === 'object' || abort
          ? this.fetchImpl(url, { method: spec.method, headers, body, signal: abort?.signal })
          : nodeRequest(url, spec.method, headers, body, (this.agents ??= nodeAgents()));
      answer
        .then(async (response) => {
          if (!response.ok && !options.accept?.includes(response.status)) {
            const text = await response.text().catch(() => '');
            const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.scheduler.now());
            throw new ComfyHttpError(response.status, spec.method, url, text.slice(0, BODY_EXCERPT_CHARS), retryAfterMs);
          }
          const value = await read(response, url);
          this.log.debug({ method: spec.method, path: spec.path, status: response.status, ms: Math.round(this.scheduler.now() - started) }, 'http');
          return value;
        })
        .then(
          (value) => {
            if (subscriber.closed) return;
            delivered = true;
            timer.unsubscribe();
            subscriber.next(value);
            subscriber.complete();
          },
          (error: unknown) => {
            if (subscriber.closed) return;
            subscriber.error(toTypedError(error, spec.method, url));
          },
        );
      return () => {
        timer.unsubscribe();
        if (!delivered) abort?.abort(); // once delivered, a /view body belongs to the caller
      };
    });
  }
}

/** What {@link ComfyHttp.upload} sends. */
export interface UploadRequest {
  readonly file: UploadFile;
  /** Default: the server's (`input`). */
  readonly type?: 'input' | 'temp' | 'output';
  readonly subfolder?: string;
  /** Replace a file of the same name (else the server keeps both: `name (1).ext`). */
  readonly overwrite?: boolean;
  /** A mask: the image on the server it applies to (`original_ref`). */
  readonly maskOf?: { readonly filename: string; readonly subfolder: string; readonly type: string };
  /** Stop sending past this many bytes (see {@link postMultipart}). */
  readonly maxFileBytes?: number;
  readonly onTooLarge?: (sent: number) => Error;
}

interface SendOptions {
  /** The answer is a stream the caller reads (no timeout once the headers are in). */
  keepBody?: boolean;
  /** Unsubscribing aborts the request (uploads). */
  abortable?: boolean;
  /** Statuses besides 2xx handed to `read` (`/prompt`'s 400, `/api/jobs/{id}`'s 404). */
  accept?: readonly number[];
}

/** The path of a URL, for messages (built only when something went wrong). */
function pathOf(url: string): string {
  return new URL(url).pathname;
}

function tryJson(text: string): unknown {
  try {
    return parsePythonJson(text);
  } catch {
    return undefined;
  }
}

async function readJson<S extends z.ZodType>(response: HttpAnswer, url: string, method: string, schema: S): Promise<z.infer<S>> {
  return parseJsonText(await response.text(), url, method, schema, response.status);
}

function parseJsonText<S extends z.ZodType>(text: string, url: string, method: string, schema: S, status = 200): z.infer<S> {
  let json: unknown;
  try {
    json = parsePythonJson(text); // Python's dialect: a foreign prompt in /queue may hold NaN
  } catch (cause) {
    throw new ComfyProtocolError(`${method} ${pathOf(url)} answered ${status} with a body that is not JSON`, { excerpt: text.slice(0, BODY_EXCERPT_CHARS) }, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ComfyProtocolError(`${method} ${pathOf(url)} answered with an unexpected shape`, { issues: parsed.error.issues, excerpt: text.slice(0, BODY_EXCERPT_CHARS) });
  }
  return parsed.data;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function toTypedError(error: unknown, method: string, url: string): Error {
  if (error instanceof ComfyHttpError || error instanceof ComfyValidationError || error instanceof ComfyProtocolError) return error;
  const code = networkCode(error);
  if (code || (isNativeError(error) && /fetch failed/i.test(error.message))) {
    const reason = code ?? causeMessage(error) ?? String(error);
    return new ComfyConnectionError(`Cannot reach ComfyUI (${method} ${pathOf(url)}): ${reason}`, url, {}, { cause: error });
  }
  return isNativeError(error) ? error : new Error(String(error));
}

/** The innermost cause's message (fetch wraps the real reason: certificate, socket...). */
function causeMessage(error: unknown): string | undefined {
  let current: unknown = error;
  let message: string | undefined;
  for (let depth = 0; depth < 5 && isNativeError(current); depth++) {
    message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

// `isNativeError` rather than `instanceof Error`: fetch's errors may come from another realm (vm, jest).
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isNativeError(current); depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
