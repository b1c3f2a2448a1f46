import { ComfyMalformedFileError } from '../../errors';
import { ByteCursor } from './byteCursor';
import type { EmbeddedContainer } from './container';
import { MAX_METADATA_BYTES, MAX_SCAN_STEPS } from './limits';
import type { TextFields } from './textFields';

/** A byte range a container reader asks for; the answer may be shorter only at the end of the file. */
export interface ReadRequest {
  readonly position: number;
  readonly length: number;
}

/**
 * A container reader: a generator that yields the byte ranges it needs and receives their bytes,
 * so the same pure reader runs over bytes in memory (synchronously) and over a file handle
 * (asynchronously, seeking). It reports text values to `ctx.fields` and returns when done.
 */
export type Scan = Generator<ReadRequest, void, Uint8Array>;
/** A sub-step of a {@link Scan} that returns a value (`yield*` it). */
export type ScanStep<T> = Generator<ReadRequest, T, Uint8Array>;

/** What a container reader knows about the file it reads. */
export class ScanContext {
  private steps = 0;

  constructor(
    readonly container: EmbeddedContainer,
    /** File size in bytes. */
    readonly size: number,
    readonly fields: TextFields,
  ) {}

  /** A typed error about this file. */
  malformed(message: string, offset?: number, cause?: unknown): ComfyMalformedFileError {
    return new ComfyMalformedFileError(message, this.container, offset, cause === undefined ? undefined : { cause });
  }

  /** A bounds-checked cursor over bytes read at file offset `base`. */
  cursor(bytes: Uint8Array, base: number): ByteCursor {
    return new ByteCursor(bytes, (message, offset) => this.malformed(message, offset), base);
  }

  /** Counts one visited chunk/box/element/page; a file with too many ends in a typed error. */
  step(offset: number): void {
    if (++this.steps > MAX_SCAN_STEPS) throw this.malformed(`more than ${MAX_SCAN_STEPS} chunks before the metadata`, offset);
  }

  /**
   * Reads exactly `length` bytes at `position`, checked against the file size and the metadata
   * limit first (no read, no allocation for a hostile length).
   */
  *read(position: number, length: number, what: string): ScanStep<Uint8Array> {
    if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0) {
      throw this.malformed(`${what}: impossible offset or length`, position);
    }
    if (length > MAX_METADATA_BYTES) throw this.malformed(`${what} is larger than the ${MAX_METADATA_BYTES / 2 ** 20} MiB limit`, position);
    if (position + length > this.size) throw this.malformed(`${what} runs past the end of the file (truncated?)`, position);
    const bytes: Uint8Array = yield { position, length };
    if (bytes.length !== length) throw this.malformed(`${what} could not be read whole (the file changed?)`, position);
    return bytes;
  }
}
