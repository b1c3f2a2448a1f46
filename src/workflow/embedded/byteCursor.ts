import type { ComfyMalformedFileError } from '../../errors';

/**
 * A bounds-checked reader over bytes already in memory (a metadata chunk or box). Every read
 * checks what remains first and throws the container's typed error, never a RangeError.
 */
export class ByteCursor {
  private offset = 0;
  private readonly view: DataView;

  /**
   * @param bytes The structure to read.
   * @param fail Builds the typed error (message, file offset).
   * @param base File offset of `bytes[0]`, for error messages.
   */
  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: (message: string, offset?: number) => ComfyMalformedFileError,
    private readonly base = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws unless `length` more bytes are there. */
  need(length: number, what: string): void {
    if (!Number.isSafeInteger(length) || length < 0 || length > this.remaining) {
      throw this.fail(`${what} runs past the end of its structure`, this.base + this.offset);
    }
  }

  seek(offset: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.bytes.length) {
      throw this.fail(`${what} points outside its structure`, this.base + this.offset);
    }
    this.offset = offset;
  }

  skip(length: number, what: string): void {
    this.need(length, what);
    this.offset += length;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }

  u16(what: string, littleEndian: boolean): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset, littleEndian);
    this.offset += 2;
    return value;
  }

  u24be(what: string): number {
    this.need(3, what);
    const value = (this.view.getUint8(this.offset) << 16) | this.view.getUint16(this.offset + 1);
    this.offset += 3;
    return value;
  }

  u32(what: string, littleEndian: boolean): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, littleEndian);
    this.offset += 4;
    return value;
  }

  /** A 64-bit big-endian length; throws beyond `Number.MAX_SAFE_INTEGER`. */
  u64be(what: string): number {
    this.need(8, what);
    const value = this.view.getBigUint64(this.offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`${what} is impossibly large`, this.base + this.offset);
    this.offset += 8;
    return Number(value);
  }

  /** The next `length` bytes (a view, not a copy). */
  take(length: number, what: string): Uint8Array {
    this.need(length, what);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** Four bytes as Latin-1 text (a chunk type or FourCC). */
  fourCC(what: string): string {
    return latin1Text(this.take(4, what));
  }

  /** Bytes up to (not including) the next NUL, which is consumed; throws if there is none. */
  untilNul(what: string): Uint8Array {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw this.fail(`${what} lacks its NUL terminator`, this.base + this.offset);
    const out = this.bytes.subarray(this.offset, end);
    this.offset = end + 1;
    return out;
  }

  /** The rest of the bytes. */
  rest(): Uint8Array {
    const out = this.bytes.subarray(this.offset);
    this.offset = this.bytes.length;
    return out;
  }
}

const utf8Decoder = new TextDecoder('utf-8');

/** Bytes as ISO-8859-1 text (each byte one code point; PNG `tEXt`, FourCCs). */
export function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Bytes as UTF-8 text (invalid sequences become U+FFFD). */
export function utf8Text(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** A FourCC or chunk type for an error message (hostile bytes shown as `?`). */
export function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}
