/**
 * Packs bit fields least-significant-bit first into bytes, the order WebP lossless (VP8L) uses.
 * @example const w = new BitWriter(); w.write(0x2f, 8); w.write(width - 1, 14); const bytes = w.finish();
 */
export class BitWriter {
  private bytes: Uint8Array;
  private length = 0;
  private pending = 0; // bits not yet flushed, in the low `pendingBits` bits
  private pendingBits = 0;

  /** @param capacity Initial buffer size in bytes; it grows as needed. */
  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  /**
   * Appends the low `bits` bits of `value`.
   * @param value A non-negative integer below `2 ** bits`.
   * @param bits 0..24.
   */
  write(value: number, bits: number): void {
    this.pending |= value << this.pendingBits;
    this.pendingBits += bits;
    while (this.pendingBits >= 8) {
      if (this.length === this.bytes.length) this.grow();
      this.bytes[this.length++] = this.pending & 0xff;
      this.pending >>>= 8;
      this.pendingBits -= 8;
    }
  }

  /** Pads the last byte with zero bits and returns everything written (a view, no copy). */
  finish(): Buffer {
    if (this.pendingBits > 0) this.write(0, 8 - this.pendingBits);
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }

  private grow(): void {
    const bigger = new Uint8Array(this.bytes.length * 2);
    bigger.set(this.bytes);
    this.bytes = bigger;
  }
}
