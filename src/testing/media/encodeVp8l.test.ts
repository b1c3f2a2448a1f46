import { decodeWebp, stillWebp } from './__fixtures__/decodeWebp';
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

/** The bitstream as a .webp file, decoded by libwebp. */
const decode = (picture: RgbaImage) => decodeWebp(stillWebp(encodeVp8l(picture)));

describe('encodeVp8l', () => {
  it.each(cases)('libwebp decodes %s to exactly the same pixels', async (_, picture) => {
    const decoded = await decode(picture);
    expect([decoded.width, decoded.height]).toEqual([picture.width, picture.height]);
    expect(decoded.frames[0]!.rgba.equals(picture.data)).toBe(true);
  });

  it('sets the alpha hint only when some pixel is not opaque', async () => {
    expect((await decode(noise(8, 8, 3, true))).frames[0]!.alphaHint).toBe(true);
    expect((await decode(noise(8, 8, 3, false))).frames[0]!.alphaHint).toBe(false);
  });

  it('compresses flat areas with back-references', () => {
    expect(encodeVp8l(image(100, 100, () => [1, 2, 3, 255])).length).toBeLessThan(100);
  });

  it('does not decode when truncated (libwebp checks the bitstream)', async () => {
    const bitstream = encodeVp8l(renderPlaceholder({ width: 32, height: 32, seed: 1 }));
    await expect(decodeWebp(stillWebp(bitstream.subarray(0, bitstream.length - 8)))).rejects.toThrow(/does not decode/);
  });

  it.each([
    ['zero width', { width: 0, height: 1, data: Buffer.alloc(0) }],
    ['a width over 16384', { width: 16385, height: 1, data: Buffer.alloc(16385 * 4) }],
    ['a short buffer', { width: 2, height: 2, data: Buffer.alloc(15) }],
  ])('throws a RangeError for %s', (_, bad) => {
    expect(() => encodeVp8l(bad)).toThrow(RangeError);
  });
});
