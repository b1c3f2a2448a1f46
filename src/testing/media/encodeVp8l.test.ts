import { decodeVp8l } from './__fixtures__/decodeVp8l';
import { decodeFramesWithLibwebp, webpToolsAvailable } from './__fixtures__/dwebp';
import { encodeVp8l } from './encodeVp8l';
import { renderPlaceholder, RgbaImage } from './renderPlaceholder';
import { seededRandom } from './seededRandom';

const image = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): RgbaImage => {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
};

const noise = (width: number, height: number, seed: number, withAlpha: boolean): RgbaImage => {
  const rnd = seededRandom(seed);
  const byte = () => Math.floor(rnd() * 256);
  return image(width, height, () => [byte(), byte(), byte(), withAlpha ? byte() : 255]);
};

/** Pictures that reach the encoder's corner cases. */
const cases: [string, RgbaImage][] = [
  ['1×1', image(1, 1, () => [10, 20, 30, 255])],
  ['a flat 100×100 fill (copies capped at 4096 px, one-symbol codes)', image(100, 100, () => [200, 100, 50, 255])],
  ['a one-column picture', image(1, 40, (_, y) => [y * 6, 255 - y * 6, y, 255])],
  ['a one-row picture', image(40, 1, (x) => [x * 6, x, 255 - x * 6, 255])],
  ['two-colour stripes (two-symbol simple codes)', image(33, 9, (x) => (x % 2 ? [0, 0, 0, 255] : [255, 255, 255, 255]))],
  ['RGBA noise (full 256-symbol alphabets, alpha used)', noise(64, 48, 1, true)],
  ['RGB noise', noise(31, 17, 2, false)],
  ['a placeholder picture', renderPlaceholder({ width: 80, height: 60, seed: 4 })],
  ['a picture wider than one predictor tile (600 px)', renderPlaceholder({ width: 600, height: 3, seed: 5 })],
];

describe('encodeVp8l', () => {
  it.each(cases)('round-trips %s exactly through the test decoder', (_, picture) => {
    const decoded = decodeVp8l(encodeVp8l(picture));
    expect([decoded.width, decoded.height]).toEqual([picture.width, picture.height]);
    expect(decoded.rgba.equals(picture.data)).toBe(true);
    expect(decoded.unreadBits).toBeLessThan(8); // nothing but padding follows the last pixel
  });

  it('sets the alpha hint only when some pixel is not opaque', () => {
    expect(decodeVp8l(encodeVp8l(noise(8, 8, 3, true))).alphaHint).toBe(true);
    expect(decodeVp8l(encodeVp8l(noise(8, 8, 3, false))).alphaHint).toBe(false);
  });

  it('compresses flat areas with back-references', () => {
    expect(encodeVp8l(image(100, 100, () => [1, 2, 3, 255])).length).toBeLessThan(100);
  });

  it('fails to decode when truncated (the test decoder is strict)', () => {
    const bitstream = encodeVp8l(renderPlaceholder({ width: 32, height: 32, seed: 1 }));
    expect(() => decodeVp8l(bitstream.subarray(0, bitstream.length - 8))).toThrow(/past the end/);
  });

  it.each([
    ['zero width', { width: 0, height: 1, data: Buffer.alloc(0) }],
    ['a width over 16384', { width: 16385, height: 1, data: Buffer.alloc(16385 * 4) }],
    ['a short buffer', { width: 2, height: 2, data: Buffer.alloc(15) }],
  ])('throws a RangeError for %s', (_, bad) => {
    expect(() => encodeVp8l(bad)).toThrow(RangeError);
  });
});

// Defined only where libwebp's tools are installed (Debian: `apt-get install webp`); the round trips
// above through the spec-written test decoder are the check that runs everywhere.
if (webpToolsAvailable()) describe('encodeVp8l, decoded by libwebp (dwebp)', () => {
  it.each(cases)('dwebp decodes %s to the same pixels', (_, picture) => {
    const bitstream = encodeVp8l(picture);
    const chunk = Buffer.alloc(8 + bitstream.length + (bitstream.length & 1));
    chunk.write('VP8L', 0, 'latin1');
    chunk.writeUInt32LE(bitstream.length, 4);
    bitstream.copy(chunk, 8);
    const riff = Buffer.alloc(12);
    riff.write('RIFF', 0, 'latin1');
    riff.writeUInt32LE(4 + chunk.length, 4);
    riff.write('WEBP', 8, 'latin1');
    const [decoded] = decodeFramesWithLibwebp(Buffer.concat([riff, chunk]), 1);
    expect([decoded.width, decoded.height]).toEqual([picture.width, picture.height]);
    expect(decoded.rgba.equals(picture.data)).toBe(true);
  });
});
