import { Readable } from 'node:stream';
import { isNativeError } from 'node:util/types';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Observable, defer, map } from 'rxjs';
import type { z } from 'zod';
import { BODY_EXCERPT_CHARS, DEFAULT_REQUEST_TIMEOUT_MS } from '../constants';
import { ComfyConnectionError, ComfyHttpError, ComfyProtocolError, ComfyValidationError } from '../errors';
import type { Logger } from '../log';
import {
  HistoryResponse,
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
import { ObjectInfo } from '../protocol/objectInfo';
import { download } from './download';
import { comfyEndpoint, type ComfyEndpoint } from './endpoint';
import { describeRejection } from '../util/describeRejection';

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
}

/** A `/view` answer: the body as a Node stream (the caller owns it) and what the server said of it. */
export interface ViewResponse {
  body: Readable;
  contentType: string;
  /** Bytes announced by the server, when it did. */
  contentLength?: number;
}

type Query = Readonly<Record<string, string | number | undefined>>;
interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  json?: unknown;
  form?: FormData;
}

/**
 * The ComfyUI REST API over global fetch (comfyui-protocol.md §6). Every call is a cold
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
  private readonly log: Logger;

  constructor(options: ComfyHttpOptions) {
    this.endpoint = comfyEndpoint(options.url);
    this.headers = { ...this.endpoint.authHeaders, ...options.headers };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.customFetch = options.fetch !== undefined;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.log = options.logger.child({ component: 'http' });
  }

  /** `POST /prompt`. A 400 becomes {@link ComfyValidationError} with the server's `node_errors`. */
  queuePrompt(body: PromptRequest): Observable<PromptResponse> {
    return this.send({ method: 'POST', path: 'prompt', json: body }, async (response, url) => {
      if (response.status === 400) {
        const text = await response.text();
        const parsed = PromptErrorBody.safeParse(tryJson(text));
        if (parsed.success) {
          const { error, node_errors } = parsed.data;
          throw new ComfyValidationError(describeRejection(error.message, node_errors), error.type, node_errors, error.details);
        }
        throw new ComfyHttpError(400, 'POST', url, text.slice(0, BODY_EXCERPT_CHARS));
      }
      return readJson(response, url, 'POST', PromptResponse);
    });
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
   * `GET /view` as a stream: nothing is buffered. The caller owns `body` (destroy it to stop).
   * Unsubscribing before the headers arrived aborts the request. Without an injected `fetch`, the
   * body comes over node:http(s) (see {@link download}: far less memory for large outputs).
   */
  view(file: OutputFileRef, options: { preview?: string; channel?: string } = {}): Observable<ViewResponse> {
    const query = { filename: file.filename, subfolder: file.subfolder, type: file.type, preview: options.preview, channel: options.channel };
    if (!this.customFetch) return download(this.endpoint.http('view', query), this.headers, this.timeoutMs);
    return this.send({ method: 'GET', path: 'view', query }, async (response) => {
      const length = Number(response.headers.get('content-length'));
      const web = response.body as WebReadableStream<Uint8Array> | null;
      return {
        body: web ? Readable.fromWeb(web) : Readable.from([]),
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        contentLength: Number.isFinite(length) && length >= 0 && response.headers.has('content-length') ? length : undefined,
      };
    }, { keepBody: true });
  }

  /** `POST /upload/image` (multipart). The answer's key is `name`: the name the server stored. */
  uploadImage(
    image: Blob | Uint8Array,
    fileName: string,
    options: { subfolder?: string; type?: 'input' | 'temp' | 'output'; overwrite?: boolean } = {},
  ): Observable<UploadResponse> {
    return defer(() => {
      const form = new FormData();
      const blob = image instanceof Blob ? image : new Blob([new Uint8Array(image)]);
      form.append('image', blob, fileName);
      if (options.subfolder) form.append('subfolder', options.subfolder);
      if (options.type) form.append('type', options.type);
      if (options.overwrite) form.append('overwrite', 'true');
      return this.send({ method: 'POST', path: 'upload/image', form }, (response, url) => readJson(response, url, 'POST', UploadResponse), { abortable: true });
    });
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
   * Sends one request; `read` turns an OK (or, for `/prompt`, a 400) answer into the value.
   * Any other status is a {@link ComfyHttpError}; a network failure a {@link ComfyConnectionError};
   * no answer within `requestTimeoutMs` a {@link ComfyConnectionError} too.
   *
   * Only bodies worth stopping (uploads, streamed downloads) get an AbortSignal: it costs fetch
   * about 90 µs of CPU a call (measured), a third of a small JSON call. A JSON call whose caller
   * unsubscribed or timed out is left to finish and its answer dropped (a `POST /prompt` must not
   * be aborted anyway: its answer is what a cancel needs).
   */
  private send<T>(spec: RequestSpec, read: (response: Response, url: string) => Promise<T>, options: { keepBody?: boolean; abortable?: boolean } = {}): Observable<T> {
    return new Observable<T>((subscriber) => {
      const url = this.endpoint.http(spec.path, spec.query);
      const abort = options.keepBody || options.abortable ? new AbortController() : undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (abort) abort.abort();
        else if (!subscriber.closed) subscriber.error(toTypedError(undefined, spec.method, url, true, this.timeoutMs));
      }, this.timeoutMs);
      let delivered = false;
      const started = performance.now();
      const headers: Record<string, string> = { ...this.headers };
      let body: string | FormData | undefined;
      if (spec.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(spec.json);
      } else if (spec.form) {
        body = spec.form;
      }
      this.fetchImpl(url, { method: spec.method, headers, body, signal: abort?.signal })
        .then(async (response) => {
          if (!response.ok && !(response.status === 400 && spec.path === 'prompt')) {
            const text = await response.text().catch(() => '');
            throw new ComfyHttpError(response.status, spec.method, url, text.slice(0, BODY_EXCERPT_CHARS));
          }
          if (options.keepBody) clearTimeout(timer);
          const value = await read(response, url);
          this.log.debug({ method: spec.method, path: spec.path, status: response.status, ms: Math.round(performance.now() - started) }, 'http');
          return value;
        })
        .then(
          (value) => {
            clearTimeout(timer);
            delivered = true;
            subscriber.next(value);
            subscriber.complete();
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (subscriber.closed) return;
            subscriber.error(toTypedError(error, spec.method, url, timedOut, this.timeoutMs));
          },
        );
      return () => {
        clearTimeout(timer);
        if (!delivered) abort?.abort(); // once delivered, a /view body belongs to the caller
      };
    });
  }
}

/** The path of a URL, for messages (built only when something went wrong). */
function pathOf(url: string): string {
  return new URL(url).pathname;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readJson<S extends z.ZodType>(response: Response, url: string, method: string, schema: S): Promise<z.infer<S>> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ComfyProtocolError(`${method} ${pathOf(url)} answered ${response.status} with a body that is not JSON`, { excerpt: text.slice(0, BODY_EXCERPT_CHARS) }, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ComfyProtocolError(`${method} ${pathOf(url)} answered with an unexpected shape`, { issues: parsed.error.issues, excerpt: text.slice(0, BODY_EXCERPT_CHARS) });
  }
  return parsed.data;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function toTypedError(error: unknown, method: string, url: string, timedOut: boolean, timeoutMs: number): Error {
  if (error instanceof ComfyHttpError || error instanceof ComfyValidationError || error instanceof ComfyProtocolError) return error;
  if (timedOut) return new ComfyConnectionError(`${method} ${pathOf(url)} got no answer within ${timeoutMs} ms`, url, {}, { cause: error });
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
