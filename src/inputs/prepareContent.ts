import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Observable, defer, from, switchMap } from 'rxjs';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../constants';
import { READ_CHUNK_BYTES } from './constants';
import { ComfyInputError } from './errors';
import { fetchUrl } from './fetchUrl';
import { hashFile } from './hashFile';
import type { InputContent } from './inputContent';
import { type ClassifiedSource, describeSource } from './inputSource';
import { extensionOfType, mediaTypeOf, sniffExtension } from './mediaType';
import { spool } from './spool';

/** How {@link prepareContent} reads a source. */
export interface PrepareOptions {
  /** Hash the bytes (content-addressed uploads): streams and URLs are then spooled to a temporary file. */
  readonly hash: boolean;
  /** The file name to use instead of the source's own. */
  readonly name?: string;
  /** A URL's answer must start within this. Default 60 s. */
  readonly urlTimeoutMs?: number;
}

const SNIFF_BYTES = 32;

/** The name parts: the caller's name wins, then the source's, then the bytes' magic number. */
function naming(name: string | undefined, head: Uint8Array | undefined, contentType?: string): { fileName: string; extension: string; contentType: string } {
  const given = name ? basename(name) : undefined;
  const extension = (given ? extname(given) : '').toLowerCase() || (head && sniffExtension(head)) || extensionOfType(contentType) || '';
  const fileName = given ?? `upload${extension}`;
  return { fileName, extension, contentType: mediaTypeOf(extension) };
}

const unreadable = (source: string, why: string, cause?: unknown): ComfyInputError =>
  new ComfyInputError(`${source} ${why}`, 'unreadable', source, undefined, undefined, cause === undefined ? undefined : { cause });

async function fromPath(path: string, described: string, options: PrepareOptions): Promise<InputContent> {
  const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new ComfyInputError(`${described}: no such file`, 'not-found', described, undefined, undefined, { cause: error });
    throw unreadable(described, `cannot be read (${error.code ?? error.message})`, error);
  });
  if (!stats.isFile()) throw unreadable(described, 'is not a file');
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(described, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, error);
  }
  const sha256 = options.hash ? await hashFile(path, stats).catch((error: unknown) => Promise.reject(unreadable(described, 'cannot be read', error))) : undefined;
  return {
    source: described,
    ...naming(options.name ?? path, head),
    size: stats.size,
    ...(sha256 ? { sha256 } : {}),
    open: () => createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }),
    once: false,
  };
}

function fromBytes(bytes: Uint8Array, described: string, options: PrepareOptions): InputContent {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    source: described,
    ...naming(options.name, buffer.subarray(0, SNIFF_BYTES)),
    size: buffer.length,
    ...(options.hash ? { sha256: createHash('sha256').update(buffer).digest('hex') } : {}),
    open: () => Readable.from([buffer]),
    once: false,
  };
}

async function fromBlob(blob: Blob, described: string, options: PrepareOptions): Promise<InputContent> {
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const name = options.name ?? (blob instanceof File && blob.name ? blob.name : undefined);
  const open = (): Readable => Readable.fromWeb(blob.stream() as WebReadableStream<Uint8Array>);
  let sha256: string | undefined;
  if (options.hash) {
    const hash = createHash('sha256');
    for await (const chunk of open()) hash.update(chunk as Buffer);
    sha256 = hash.digest('hex');
  }
  return { source: described, ...naming(name, head, blob.type || undefined), size: blob.size, ...(sha256 ? { sha256 } : {}), open, once: false };
}

/** Reads up to `count` bytes off a stream and puts them back, to sniff its type before it is sent. */
async function peek(stream: Readable, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream.iterator({ destroyOnReturn: false })) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    length += buffer.length;
    if (length >= count) break;
  }
  const head = Buffer.concat(chunks);
  if (head.length) stream.unshift(head);
  return head.subarray(0, count);
}

/** A stream (a `Readable`, a URL's body): spooled to a temporary file when hashed, else read once as it comes. */
async function fromStream(stream: Readable, described: string, options: PrepareOptions, known: { name?: string; contentType?: string; size?: number }): Promise<InputContent> {
  const name = options.name ?? known.name;
  if (options.hash) {
    const spooled = await spool(stream).catch((error: unknown) => Promise.reject(error instanceof ComfyInputError ? error : unreadable(described, `could not be read: ${(error as Error).message}`, error)));
    return {
      source: described,
      ...naming(name, spooled.head, known.contentType),
      size: spooled.size,
      sha256: spooled.sha256,
      open: () => createReadStream(spooled.path, { highWaterMark: READ_CHUNK_BYTES }),
      once: false,
      dispose: spooled.remove,
    };
  }
  const head = name && extname(name) ? undefined : await peek(stream, SNIFF_BYTES);
  let opened = false;
  return {
    source: described,
    ...naming(name, head, known.contentType),
    ...(known.size !== undefined ? { size: known.size } : {}),
    open: () => {
      if (opened) throw unreadable(described, 'was already read (a stream can be uploaded once; pass a path, bytes or a Blob to upload it again)');
      opened = true;
      return stream;
    },
    once: true,
  };
}

/**
 * Reads an input source into an {@link InputContent}: its name and type (the caller's name, the
 * source's, else sniffed from the first bytes), its size, and with `hash` its SHA-256 (a path is
 * hashed once per process while unchanged; a stream or a URL is spooled to a temporary file on
 * the way, never held in memory). Errors are {@link ComfyInputError}s: `not-found`, `unreadable`,
 * `url-failed`.
 */
export function prepareContent(source: ClassifiedSource, options: PrepareOptions): Observable<InputContent> {
  const described = describeSource(source);
  switch (source.kind) {
    case 'path':
      return defer(() => fromPath(source.path, described, options));
    case 'bytes':
      return defer(async () => fromBytes(source.bytes, described, options));
    case 'blob':
      return defer(() => fromBlob(source.blob, described, options));
    case 'stream':
      return defer(() => fromStream(source.stream, described, options, {}));
    case 'output':
      return source.output.origin.view(source.output.file).pipe(
        switchMap((answer) =>
          from(fromStream(answer.body, described, options, { name: source.output.file.filename, contentType: answer.contentType, ...(answer.contentLength !== undefined ? { size: answer.contentLength } : {}) })),
        ),
      );
    case 'url':
      return fetchUrl(source.url, options.urlTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS).pipe(
        switchMap((answer) => from(fromStream(answer.body, described, options, { name: answer.fileName, contentType: answer.contentType, size: answer.contentLength }))),
      );
  }
}
