import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { parsePythonJson } from '../../protocol/pythonJson';
import { asciiJson } from '../engine/python';
import { isPlainObject } from '../../util/isPlainObject';

/** An HTTP answer, built by a route and written by the router (possibly late: `delayHttp`). */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** A streamed body of known length (generated files). */
  readonly stream?: { readonly length: number; open(): Readable };
  /** Writes the response itself, for as long as it likes (a v2 event stream); status and headers are its own. */
  readonly takeover?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A request as routes see it: path without the `/api` prefix, query, headers, and the body on demand. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The body (bounded by `maxUploadBytes`; beyond it the router answers 413). */
  body(): Promise<Buffer>;
}

/** Thrown by handlers for aiohttp's generic 500 (malformed JSON, wrong types...). */
export class InternalServerError extends Error {
  constructor(cause?: unknown) {
    super('500 Internal Server Error', { cause });
    this.name = 'InternalServerError';
  }
}

/** The body aiohttp sends for an unhandled exception. */
export const INTERNAL_ERROR_TEXT = '500 Internal Server Error\n\nServer got itself in trouble';

/** JSON answer with Python's ASCII escaping. */
export function jsonReply(value: unknown, status = 200): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: asciiJson(JSON.stringify(value)) };
}

/** JSON answer from text already serialized. */
export function rawJsonReply(text: string, status = 200): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: asciiJson(text) };
}

/** Plain-text answer (aiohttp's error pages). */
export function textReply(text: string, status: number): Reply {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text };
}

/** Empty answer (`web.Response(status=...)`). */
export function emptyReply(status = 200): Reply {
  return { status };
}

/** `await request.json()` (Python's `json.loads`: `NaN`, `Infinity` accepted): invalid JSON becomes the 500 aiohttp would answer. */
export async function readJson(request: FakeRequest): Promise<unknown> {
  const body = await request.body();
  try {
    return parsePythonJson(body.toString('utf8'));
  } catch (cause) {
    throw new InternalServerError(cause);
  }
}

/** A plain JSON object (what Python handlers index with `json_data[...]`). */
export const isJsonObject = isPlainObject;
