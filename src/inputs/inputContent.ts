import type { Readable } from 'node:stream';

/**
 * An input file ready to be placed: its name, type, size and (for content-addressed uploads) its
 * SHA-256, and a way to read its bytes. What an {@link InputSurface} receives.
 */
export interface InputContent {
  /** The source as messages show it (see `describeSource`). */
  readonly source: string;
  /** The caller's file name (`name` option, the path's or URL's base name, a `File`'s name), else `upload<ext>`. */
  readonly fileName: string;
  /** Lower-case extension with its dot (`.png`), from the name or sniffed from the bytes; `''` when unknown. */
  readonly extension: string;
  readonly contentType: string;
  /** Bytes, when known before reading (paths, bytes, Blobs, spooled streams; a URL that sent `Content-Length`). */
  readonly size?: number;
  /** Hex SHA-256 of the bytes, when hashed (content-addressed uploads). */
  readonly sha256?: string;
  /** A stream of the bytes. Repeatable unless `once` (a stream or URL read without dedupe). */
  open(): Readable;
  /** `open()` works only once. */
  readonly once: boolean;
  /** Frees what holds the bytes (a spooled temporary file); `open()` fails afterwards. */
  dispose?(): void;
}
