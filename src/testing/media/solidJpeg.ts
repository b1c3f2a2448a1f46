/**
 * A minimal baseline JPEG encoder for one-colour pictures: enough for preview frames (ComfyUI
 * sends sampler previews as JPEG) without a codec dependency. Every 8x8 block carries only its DC
 * coefficient, so the file is a few hundred bytes whatever the size.
 */

const DC_SCALE = 8; // DC of a flat 8x8 block with an all-ones quantization table = 8 * (level - 128)

/** Bits written MSB first, with JPEG byte stuffing (0xFF -> 0xFF 0x00). */
class EntropyWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.current = (this.current << 1) | ((value >> bit) & 1);
      if (++this.used === 8) this.flushByte();
    }
  }

  finish(): number[] {
    if (this.used > 0) this.write(0xff, 8 - this.used); // pad with ones
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.used = 0;
  }
}

/** Bit length of |v| (the JPEG magnitude category). */
function category(value: number): number {
  let magnitude = Math.abs(value);
  let bits = 0;
  while (magnitude > 0) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** A Huffman table with category 0 at 1 bit and up to three other symbols at 3 bits. */
function dcTable(categories: readonly number[]): { counts: number[]; symbols: number[]; codes: Map<number, [number, number]> } {
  const others = [...new Set(categories.filter((c) => c !== 0))].sort((a, b) => a - b);
  const counts = new Array<number>(16).fill(0);
  counts[0] = 1;
  counts[2] = others.length;
  const codes = new Map<number, [number, number]>([[0, [0b0, 1]]]);
  others.forEach((symbol, i) => codes.set(symbol, [0b100 + i, 3]));
  return { counts, symbols: [0, ...others], codes };
}

/**
 * Encodes a `width` x `height` JPEG filled with one colour.
 * @param rgb Colour as 0xRRGGBB.
 * @example solidJpeg(64, 64, 0x3a6ea5) // a small blue JPEG
 */
export function solidJpeg(width: number, height: number, rgb: number): Buffer {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  const levels = [
    0.299 * r + 0.587 * g + 0.114 * b,
    -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
    0.5 * r - 0.418688 * g - 0.081312 * b + 128,
  ];
  const dcs = levels.map((level) => Math.max(-1024, Math.min(1016, Math.round(DC_SCALE * (Math.min(255, Math.max(0, level)) - 128)))));
  const table = dcTable(dcs.map(category));

  const bits = new EntropyWriter();
  const mcus = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let m = 0; m < mcus; m++) {
    for (const dc of dcs) {
      const diff = m === 0 ? dc : 0;
      const size = category(diff);
      const [code, length] = table.codes.get(size) ?? [0, 1];
      bits.write(code, length);
      if (size > 0) bits.write(diff >= 0 ? diff : diff + (1 << size) - 1, size);
      bits.write(0, 1); // AC: end of block
    }
  }

  const jfif = [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const quantization = [0x00, ...new Array<number>(64).fill(1)];
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0];
  const acCounts = new Array<number>(16).fill(0);
  acCounts[0] = 1;
  const huffman = [0x00, ...table.counts, ...table.symbols, 0x10, ...acCounts, 0x00];
  const scan = [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, jfif),
    ...segment(0xdb, quantization),
    ...segment(0xc0, frame),
    ...segment(0xc4, huffman),
    ...segment(0xda, scan),
    ...bits.finish(),
    0xff, 0xd9,
  ]);
}
