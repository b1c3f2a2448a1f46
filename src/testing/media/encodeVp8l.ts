import { BitWriter } from './bitWriter';
import type { RgbaImage } from './renderPlaceholder';
import { writeVp8lPrefixCode } from './writeVp8lPrefixCode';

/** VP8L constants (WebP lossless bitstream spec). */
const VP8L_SIGNATURE = 0x2f;
const VP8L_MAX_SIDE = 16384;
const NUM_LITERALS = 256;
const NUM_LENGTH_CODES = 24;
const NUM_DISTANCE_CODES = 40;
const MAX_COPY_LENGTH = 4096;
/** Distance codes 1..120 name 2-D neighbours: 1 is the pixel above, 2 the pixel to the left. */
const PLANE_CODE_ABOVE = 1;
const PLANE_CODE_LEFT = 2;
/** Predictor transform (type 0) over 512x512 tiles (the largest), all in mode 12: clamp(L + T - TL). */
const PREDICTOR_TRANSFORM = 0;
const PREDICTOR_BLOCK_BITS = 9;
const PREDICTOR_MODE_PIXEL = 0xff000000 | (12 << 8); // the mode lives in the green channel
const OPAQUE_BLACK = 0xff000000;
/** Shortest run worth a back-reference (about 2 short symbols instead of 4 literals per pixel). */
const MIN_COPY_LENGTH = 2;

/**
 * Encodes RGBA pixels as a WebP lossless (VP8L) bitstream, i.e. the payload of a `VP8L` chunk.
 * Deliberately small: one predictor transform with a single mode for the whole picture
 * (L + T - TL, which flattens gradients), no colour cache, one prefix-code group, and
 * back-references that only repeat the residual to the left or above. Lossless: decoding gives
 * back exactly the input pixels.
 * @param image 1..16384 px per side, RGBA bytes.
 * @returns The bitstream, starting with the 0x2f signature byte.
 * @throws RangeError on a size out of range or a buffer of the wrong length.
 * @example const bitstream = encodeVp8l(renderPlaceholder({ width: 64, height: 64, seed: 1 }));
 */
export function encodeVp8l(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (!(Number.isInteger(side) && side >= 1 && side <= VP8L_MAX_SIDE)) {
      throw new RangeError(`${name} must be an integer in 1..${VP8L_MAX_SIDE} (got ${side})`);
    }
  }
  if (data.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} RGBA bytes (got ${data.length})`);

  const argb = new Uint32Array(width * height);
  let hasAlpha = false;
  for (let i = 0, o = 0; i < argb.length; i++, o += 4) {
    argb[i] = ((data[o + 3] << 24) | (data[o] << 16) | (data[o + 1] << 8) | data[o + 2]) >>> 0;
    if (data[o + 3] !== 255) hasAlpha = true;
  }

  const writer = new BitWriter(argb.length * 2 + 1024);
  writer.write(VP8L_SIGNATURE, 8);
  writer.write(width - 1, 14);
  writer.write(height - 1, 14);
  writer.write(hasAlpha ? 1 : 0, 1);
  writer.write(0, 3); // version
  writer.write(1, 1); // a transform follows
  writer.write(PREDICTOR_TRANSFORM, 2);
  writer.write(PREDICTOR_BLOCK_BITS - 2, 3);
  const modes = new Uint32Array(subSampled(width) * subSampled(height)).fill(PREDICTOR_MODE_PIXEL);
  writeEntropyCodedImage(writer, modes, subSampled(width), false);
  writer.write(0, 1); // no more transforms
  writeEntropyCodedImage(writer, gradientResiduals(argb, width), width, true);
  return writer.finish();
}

/**
 * Writes pixels as VP8L entropy-coded image data: no colour cache, (main image only) no meta prefix
 * codes, the five prefix codes, then literals and back-references.
 */
function writeEntropyCodedImage(writer: BitWriter, argb: Uint32Array, width: number, isMainImage: boolean): void {
  // Pass 1: tokens (literal = copy length 0) and histograms.
  const pixelCount = argb.length;
  const copyLength = new Uint16Array(pixelCount);
  const copyPlaneCode = new Uint8Array(pixelCount);
  const tokenPixel = new Uint32Array(pixelCount);
  const green = new Uint32Array(NUM_LITERALS + NUM_LENGTH_CODES);
  const red = new Uint32Array(NUM_LITERALS);
  const blue = new Uint32Array(NUM_LITERALS);
  const alpha = new Uint32Array(NUM_LITERALS);
  const distance = new Uint32Array(NUM_DISTANCE_CODES);
  let tokens = 0;
  for (let i = 0; i < pixelCount; ) {
    const left = i >= 1 ? runLength(argb, i, 1) : 0;
    const above = i >= width ? runLength(argb, i, width) : 0;
    const length = left > above ? left : above; // no Math.* in hot loops: slow in jest's VM contexts
    if (length >= MIN_COPY_LENGTH) {
      const planeCode = above >= left ? PLANE_CODE_ABOVE : PLANE_CODE_LEFT;
      copyLength[tokens] = length;
      copyPlaneCode[tokens] = planeCode;
      green[NUM_LITERALS + prefixOf(length).symbol]++;
      distance[prefixOf(planeCode).symbol]++;
      i += length;
    } else {
      const p = argb[i];
      tokenPixel[tokens] = p;
      green[(p >>> 8) & 0xff]++;
      red[(p >>> 16) & 0xff]++;
      blue[p & 0xff]++;
      alpha[p >>> 24]++;
      i++;
    }
    tokens++;
  }

  // Pass 2: header bits, codes, tokens.
  writer.write(0, 1); // no colour cache
  if (isMainImage) writer.write(0, 1); // one prefix-code group
  const greenCode = writeVp8lPrefixCode(writer, green);
  const redCode = writeVp8lPrefixCode(writer, red);
  const blueCode = writeVp8lPrefixCode(writer, blue);
  const alphaCode = writeVp8lPrefixCode(writer, alpha);
  const distanceCode = writeVp8lPrefixCode(writer, distance);
  for (let t = 0; t < tokens; t++) {
    const length = copyLength[t];
    if (length === 0) {
      const p = tokenPixel[t];
      const g = (p >>> 8) & 0xff;
      const r = (p >>> 16) & 0xff;
      const b = p & 0xff;
      const a = p >>> 24;
      writer.write(greenCode.codes[g], greenCode.bits[g]);
      writer.write(redCode.codes[r], redCode.bits[r]);
      writer.write(blueCode.codes[b], blueCode.bits[b]);
      writer.write(alphaCode.codes[a], alphaCode.bits[a]);
    } else {
      const len = prefixOf(length);
      const symbol = NUM_LITERALS + len.symbol;
      writer.write(greenCode.codes[symbol], greenCode.bits[symbol]);
      writer.write(len.extra, len.extraBits);
      const dist = prefixOf(copyPlaneCode[t]);
      writer.write(distanceCode.codes[dist.symbol], distanceCode.bits[dist.symbol]);
      writer.write(dist.extra, dist.extraBits);
    }
  }
}

/** Side length of the predictor-mode sub-image for a picture side. */
function subSampled(side: number): number {
  return (side + (1 << PREDICTOR_BLOCK_BITS) - 1) >> PREDICTOR_BLOCK_BITS;
}

/**
 * Per-channel residuals (mod 256) against the VP8L predictions for predictor mode 12:
 * the top-left pixel against opaque black, the rest of the top row against L, the left column
 * against T, every other pixel against clamp(L + T - TL).
 */
function gradientResiduals(argb: Uint32Array, width: number): Uint32Array {
  const out = new Uint32Array(argb.length);
  for (let i = 0; i < argb.length; i++) {
    let prediction: number;
    if (i === 0) prediction = OPAQUE_BLACK;
    else if (i < width) prediction = argb[i - 1];
    else if (i % width === 0) prediction = argb[i - width];
    else prediction = clampAddSubtractFull(argb[i - 1], argb[i - width], argb[i - width - 1]);
    out[i] = subtractPixels(argb[i], prediction);
  }
  return out;
}

function clampAddSubtractFull(l: number, t: number, tl: number): number {
  let out = 0;
  for (let shift = 0; shift < 32; shift += 8) {
    const v = ((l >>> shift) & 0xff) + ((t >>> shift) & 0xff) - ((tl >>> shift) & 0xff);
    out |= (v < 0 ? 0 : v > 255 ? 255 : v) << shift;
  }
  return out >>> 0;
}

function subtractPixels(a: number, b: number): number {
  let out = 0;
  for (let shift = 0; shift < 32; shift += 8) out |= (((a >>> shift) - (b >>> shift)) & 0xff) << shift;
  return out >>> 0;
}

/** How many pixels from `i` on equal the pixel `distance` earlier (capped at the longest copy). */
function runLength(argb: Uint32Array, i: number, distance: number): number {
  const end = i + MAX_COPY_LENGTH < argb.length ? i + MAX_COPY_LENGTH : argb.length;
  let j = i;
  while (j < end && argb[j] === argb[j - distance]) j++;
  return j - i;
}

/** VP8L prefix coding of a length or distance code (>= 1): symbol plus extra bits. */
function prefixOf(value: number): { symbol: number; extra: number; extraBits: number } {
  if (value <= 4) return { symbol: value - 1, extra: 0, extraBits: 0 };
  const v = value - 1;
  const highest = 31 - Math.clz32(v);
  const secondHighest = (v >>> (highest - 1)) & 1;
  const extraBits = highest - 1;
  return { symbol: 2 * highest + secondHighest, extra: v & ((1 << extraBits) - 1), extraBits };
}
