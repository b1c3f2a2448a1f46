/**
 * Test-only WebP lossless (VP8L) decoder, written from the spec (RFC 9649) to check our encoder on
 * machines without libwebp. It supports what a VP8L stream may carry except the colour cache, meta
 * prefix codes, and transforms other than the predictor in mode 12 (our encoder uses none of them):
 * those throw. Like libwebp it rejects incomplete or over-full prefix codes and reading past the end.
 * Lives under __fixtures__ so the package build leaves it out.
 */

/** Decoded picture: RGBA bytes plus the header's alpha hint. */
export interface DecodedVp8l {
  readonly width: number;
  readonly height: number;
  readonly alphaHint: boolean;
  readonly rgba: Buffer;
  /** Bits left unread at the end (only padding should remain: < 8). */
  readonly unreadBits: number;
}

const ALPHABET_SIZES = [256 + 24, 256, 256, 256, 40];
const CODE_LENGTH_ORDER = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
/** RFC 9649 distance map, packed as (dy << 4) | (8 - dx). */
// prettier-ignore
const PLANE_TABLE = [
  0x18, 0x07, 0x17, 0x19, 0x28, 0x06, 0x27, 0x29, 0x16, 0x1a, 0x26, 0x2a, 0x38, 0x05, 0x37, 0x39, 0x15, 0x1b, 0x36, 0x3a,
  0x25, 0x2b, 0x48, 0x04, 0x47, 0x49, 0x14, 0x1c, 0x35, 0x3b, 0x46, 0x4a, 0x24, 0x2c, 0x58, 0x45, 0x4b, 0x34, 0x3c, 0x03,
  0x57, 0x59, 0x13, 0x1d, 0x56, 0x5a, 0x23, 0x2d, 0x44, 0x4c, 0x55, 0x5b, 0x33, 0x3d, 0x68, 0x02, 0x67, 0x69, 0x12, 0x1e,
  0x66, 0x6a, 0x22, 0x2e, 0x54, 0x5c, 0x43, 0x4d, 0x65, 0x6b, 0x32, 0x3e, 0x78, 0x01, 0x77, 0x79, 0x53, 0x5d, 0x11, 0x1f,
  0x64, 0x6c, 0x42, 0x4e, 0x76, 0x7a, 0x21, 0x2f, 0x75, 0x7b, 0x31, 0x3f, 0x63, 0x6d, 0x52, 0x5e, 0x00, 0x74, 0x7c, 0x41,
  0x4f, 0x10, 0x20, 0x62, 0x6e, 0x30, 0x73, 0x7d, 0x51, 0x5f, 0x40, 0x72, 0x7e, 0x61, 0x6f, 0x50, 0x71, 0x7f, 0x60, 0x70,
];

class BitReader {
  private bit = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++, this.bit++) {
      if (this.bit >= this.bytes.length * 8) throw new Error('VP8L: read past the end of the bitstream');
      v |= ((this.bytes[this.bit >> 3] >> (this.bit & 7)) & 1) << i;
    }
    return v >>> 0;
  }
  get unread(): number {
    return this.bytes.length * 8 - this.bit;
  }
}

/** Canonical prefix code decoder, read one bit at a time (codes are stored MSB-first, as deflate). */
class PrefixCode {
  private readonly single: number | undefined;
  private readonly countPerLength = new Array<number>(16).fill(0);
  private readonly symbolsByCode: number[] = [];

  constructor(lengths: number[]) {
    const used = lengths.map((len, s) => [len, s]).filter(([len]) => len > 0);
    if (used.length === 0) throw new Error('VP8L: prefix code without symbols');
    if (used.length === 1) {
      this.single = used[0][1];
      return;
    }
    let kraft = 0;
    for (const [len] of used) {
      this.countPerLength[len]++;
      kraft += 2 ** (15 - len);
    }
    if (kraft !== 2 ** 15) throw new Error(`VP8L: prefix code is not complete (Kraft sum ${kraft / 2 ** 15})`);
    used.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.symbolsByCode = used.map(([, s]) => s);
  }

  read(reader: BitReader): number {
    if (this.single !== undefined) return this.single;
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= 15; len++) {
      code |= reader.read(1);
      const count = this.countPerLength[len];
      if (code - first < count) return this.symbolsByCode[index + code - first];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Error('VP8L: invalid prefix code');
  }
}

function readPrefixCode(reader: BitReader, alphabetSize: number): PrefixCode {
  const lengths = new Array<number>(alphabetSize).fill(0);
  if (reader.read(1) === 1) {
    const count = reader.read(1) + 1;
    const first = reader.read(reader.read(1) === 1 ? 8 : 1);
    if (first >= alphabetSize) throw new Error('VP8L: simple code symbol out of range');
    lengths[first] = 1;
    if (count === 2) {
      const second = reader.read(8);
      if (second >= alphabetSize) throw new Error('VP8L: simple code symbol out of range');
      lengths[second] = 1;
    }
    return new PrefixCode(lengths);
  }
  const codeLengthLengths = new Array<number>(19).fill(0);
  const stored = 4 + reader.read(4);
  for (let i = 0; i < stored; i++) codeLengthLengths[CODE_LENGTH_ORDER[i]] = reader.read(3);
  const codeLengthCode = new PrefixCode(codeLengthLengths);
  let maxSymbol = alphabetSize;
  if (reader.read(1) === 1) {
    maxSymbol = 2 + reader.read(2 + 2 * reader.read(3));
    if (maxSymbol > alphabetSize) throw new Error('VP8L: max_symbol beyond the alphabet');
  }
  let previous = 8;
  for (let symbol = 0; symbol < alphabetSize && maxSymbol-- > 0; ) {
    const c = codeLengthCode.read(reader);
    if (c < 16) {
      lengths[symbol++] = c;
      if (c !== 0) previous = c;
      continue;
    }
    const repeat = c === 16 ? 3 + reader.read(2) : c === 17 ? 3 + reader.read(3) : 11 + reader.read(7);
    if (symbol + repeat > alphabetSize) throw new Error('VP8L: code length repeat beyond the alphabet');
    for (let i = 0; i < repeat; i++) lengths[symbol++] = c === 16 ? previous : 0;
  }
  return new PrefixCode(lengths);
}

function readLz77Value(reader: BitReader, prefix: number): number {
  if (prefix < 4) return prefix + 1;
  const extraBits = (prefix - 2) >> 1;
  return ((2 + (prefix & 1)) << extraBits) + reader.read(extraBits) + 1;
}

function decodeEntropyCodedImage(reader: BitReader, width: number, height: number, isMainImage: boolean): Uint32Array {
  if (reader.read(1) === 1) throw new Error('VP8L: colour cache is not supported by this test decoder');
  if (isMainImage && reader.read(1) === 1) throw new Error('VP8L: meta prefix codes are not supported by this test decoder');
  const [green, red, blue, alpha, distance] = ALPHABET_SIZES.map((size) => readPrefixCode(reader, size));
  const argb = new Uint32Array(width * height);
  for (let i = 0; i < argb.length; ) {
    const g = green.read(reader);
    if (g < 256) {
      const r = red.read(reader);
      const b = blue.read(reader);
      const a = alpha.read(reader);
      argb[i++] = ((a << 24) | (r << 16) | (g << 8) | b) >>> 0;
      continue;
    }
    const length = readLz77Value(reader, g - 256);
    const code = readLz77Value(reader, distance.read(reader));
    let dist = code - 120;
    if (code <= 120) {
      const packed = PLANE_TABLE[code - 1];
      dist = Math.max(1, (packed >> 4) * width + (8 - (packed & 0xf)));
    }
    if (dist > i || i + length > argb.length) throw new Error(`VP8L: back-reference out of bounds at pixel ${i}`);
    for (let k = 0; k < length; k++, i++) argb[i] = argb[i - dist];
  }
  return argb;
}

function addPixels(a: number, b: number): number {
  let out = 0;
  for (let shift = 0; shift < 32; shift += 8) out |= (((a >>> shift) + (b >>> shift)) & 0xff) << shift;
  return out >>> 0;
}

function clampAddSubtractFull(l: number, t: number, tl: number): number {
  let out = 0;
  for (let shift = 0; shift < 32; shift += 8) {
    const v = ((l >>> shift) & 0xff) + ((t >>> shift) & 0xff) - ((tl >>> shift) & 0xff);
    out |= (v < 0 ? 0 : v > 255 ? 255 : v) << shift; // no Math.*: slow in jest's VM contexts
  }
  return out >>> 0;
}

function undoPredictor(argb: Uint32Array, width: number, height: number, bits: number, modes: Uint32Array): void {
  const tilesPerRow = (width + (1 << bits) - 1) >> bits;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let prediction: number;
      if (i === 0) prediction = 0xff000000;
      else if (y === 0) prediction = argb[i - 1];
      else if (x === 0) prediction = argb[i - width];
      else {
        const mode = (modes[(y >> bits) * tilesPerRow + (x >> bits)] >>> 8) & 0xff;
        if (mode !== 12) throw new Error(`VP8L: predictor mode ${mode} is not supported by this test decoder`);
        prediction = clampAddSubtractFull(argb[i - 1], argb[i - width], argb[i - width - 1]);
      }
      argb[i] = addPixels(argb[i], prediction);
    }
  }
}

/**
 * Decodes a VP8L bitstream (the payload of a `VP8L` chunk) to RGBA.
 * @throws Error on anything malformed or unsupported (see the file comment).
 */
export function decodeVp8l(bytes: Uint8Array): DecodedVp8l {
  const reader = new BitReader(bytes);
  if (reader.read(8) !== 0x2f) throw new Error('VP8L: bad signature');
  const width = reader.read(14) + 1;
  const height = reader.read(14) + 1;
  const alphaHint = reader.read(1) === 1;
  if (reader.read(3) !== 0) throw new Error('VP8L: unknown version');
  const predictors: { bits: number; modes: Uint32Array }[] = [];
  while (reader.read(1) === 1) {
    const type = reader.read(2);
    if (type !== 0) throw new Error(`VP8L: transform ${type} is not supported by this test decoder`);
    if (predictors.length) throw new Error('VP8L: repeated predictor transform');
    const bits = reader.read(3) + 2;
    const tiles = (side: number) => (side + (1 << bits) - 1) >> bits;
    predictors.push({ bits, modes: decodeEntropyCodedImage(reader, tiles(width), tiles(height), false) });
  }
  const argb = decodeEntropyCodedImage(reader, width, height, true);
  for (const p of predictors) undoPredictor(argb, width, height, p.bits, p.modes);
  const rgba = Buffer.alloc(width * height * 4);
  argb.forEach((p, i) => {
    rgba[4 * i] = (p >>> 16) & 0xff;
    rgba[4 * i + 1] = (p >>> 8) & 0xff;
    rgba[4 * i + 2] = p & 0xff;
    rgba[4 * i + 3] = p >>> 24;
  });
  return { width, height, alphaHint, rgba, unreadBits: reader.unread };
}
