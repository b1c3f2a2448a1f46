import jpeg from 'jpeg-js';
import { solidJpeg } from './solidJpeg';

/** Decodes with jpeg-js (a baseline JPEG decoder in plain JS) to RGBA. */
const decode = (file: Buffer) => jpeg.decode(file, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });

/** Largest distance of any pixel's R, G or B from `rgb` (0xRRGGBB). */
function worstChannelError(rgba: Uint8Array, rgb: number): number {
  const want = [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff];
  let worst = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = rgba[i + c]! - want[c]!;
      worst = Math.max(worst, d < 0 ? -d : d);
    }
  }
  return worst;
}

describe('solidJpeg, decoded by jpeg-js', () => {
  it.each([
    [1, 1, 0x3a6ea5],
    [8, 8, 0x000000],
    [64, 40, 0xffffff],
    [33, 17, 0xff0000],
    [17, 33, 0x00ff00],
    [100, 3, 0x0000ff],
    [257, 9, 0x808080],
  ])('decodes a %i x %i picture to one colour 0x%s (every pixel within YCbCr rounding)', (width, height, rgb) => {
    const picture = decode(solidJpeg(width, height, rgb));
    expect([picture.width, picture.height]).toEqual([width, height]);
    expect(picture.data).toHaveLength(width * height * 4);
    expect(worstChannelError(picture.data, rgb)).toBeLessThanOrEqual(3);
  });

  it('gives different colours different pictures', () => {
    const a = decode(solidJpeg(16, 16, 0x102030)).data;
    const b = decode(solidJpeg(16, 16, 0x302010)).data;
    expect(worstChannelError(a, 0x302010)).toBeGreaterThan(16);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('costs 6 bits per 8x8 block after the headers (DC-only blocks)', () => {
    const headers = solidJpeg(8, 8, 0x3a6ea5).length;
    const blocks = (1024 / 8) * (1024 / 8);
    expect(solidJpeg(1024, 1024, 0x3a6ea5).length).toBeLessThanOrEqual(headers + Math.ceil((blocks * 6) / 8));
  });
});
