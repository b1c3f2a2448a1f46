import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { displayUrl } from '../util/displayUrl';
import { ServerOutput } from './serverOutput';

/**
 * Where an input file's bytes come from: a file path (or a `file:` URL), an `http(s)` URL (fetched
 * and streamed), bytes, a `Blob` (or `File`), a Node `Readable` (read once), or a file a server
 * saved (`serverOutput`: used in place on that server, copied to another).
 */
export type InputSource = string | URL | Uint8Array | ArrayBuffer | Blob | Readable | ServerOutput;

/** An {@link InputSource} sorted by kind. */
export type ClassifiedSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'url'; readonly url: URL }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'blob'; readonly blob: Blob }
  | { readonly kind: 'stream'; readonly stream: Readable }
  | { readonly kind: 'output'; readonly output: ServerOutput };

/** Tells an `http(s)` URL written as a string from a path. */
export const isHttpUrl = (text: string): boolean => /^https?:\/\//i.test(text);

/** Whether a value can be an {@link InputSource}. */
export function isInputSource(value: unknown): value is InputSource {
  return typeof value === 'string' || value instanceof URL || value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof Blob || value instanceof Readable;
}

/**
 * Sorts a source by kind.
 * @throws TypeError for anything else, or a URL that is neither `http(s):` nor `file:`.
 */
export function classifySource(source: InputSource): ClassifiedSource {
  if (typeof source === 'string') {
    if (isHttpUrl(source)) return { kind: 'url', url: new URL(source) };
    if (source.startsWith('file:')) return { kind: 'path', path: fileURLToPath(source) };
    if (source === '') throw new TypeError('An input file path cannot be empty');
    return { kind: 'path', path: source };
  }
  if (source instanceof URL) {
    if (source.protocol === 'file:') return { kind: 'path', path: fileURLToPath(source) };
    if (source.protocol === 'http:' || source.protocol === 'https:') return { kind: 'url', url: source };
    throw new TypeError(`Unsupported input URL protocol ${source.protocol} (use http:, https: or file:)`);
  }
  if (source instanceof Uint8Array) return { kind: 'bytes', bytes: source };
  if (source instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(source) };
  if (source instanceof Blob) return { kind: 'blob', blob: source };
  if (source instanceof Readable) return { kind: 'stream', stream: source };
  if (source instanceof ServerOutput) return { kind: 'output', output: source };
  throw new TypeError(`Not an input source: ${typeof source} (expected a path, an http(s) URL, bytes, a Blob or a Readable)`);
}

/** A source as messages show it: the path, the URL without credentials or query, `<N bytes>`, `<Blob>`, `<stream>`. */
export function describeSource(source: ClassifiedSource): string {
  switch (source.kind) {
    case 'path':
      return source.path;
    case 'url':
      return displayUrl(source.url);
    case 'bytes':
      return `<${source.bytes.byteLength} bytes>`;
    case 'blob':
      return source.blob instanceof File && source.blob.name ? `<Blob ${source.blob.name}>` : `<Blob of ${source.blob.size} bytes>`;
    case 'stream':
      return '<stream>';
    case 'output':
      return `${source.output.stored.value} on ${source.output.key}`;
  }
}
