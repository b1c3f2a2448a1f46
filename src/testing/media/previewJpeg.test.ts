import jpeg from 'jpeg-js';
import { previewJpeg } from './previewJpeg';

const decode = (file: Buffer) => jpeg.decode(file, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });

/** The colour of the first pixel, 0xRRGGBB. */
const firstPixel = (rgba: Uint8Array) => (rgba[0]! << 16) | (rgba[1]! << 8) | rgba[2]!;

describe('previewJpeg, decoded by jpeg-js', () => {
  it('is 1/8 of the picture, at least 8 and at most 512 px per side', () => {
    const sizes = [
      [512, 768],
      [16, 16],
      [8192, 64],
    ].map(([w, h]) => decode(previewJpeg(w!, h!, 1, 0)));
    expect(sizes.map((p) => [p.width, p.height])).toEqual([
      [64, 96],
      [8, 8],
      [512, 8],
    ]);
  });

  it('is one colour per step that changes from step to step, and the same for the same seed and step', () => {
    const steps = [0, 1, 2, 3].map((step) => decode(previewJpeg(256, 256, 42, step)).data);
    const colours = steps.map(firstPixel);
    expect(new Set(colours).size).toBe(4);
    for (const [k, rgba] of steps.entries()) {
      for (let i = 0; i < rgba.length; i += 4) expect((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!).toBe(colours[k]);
    }
    expect(firstPixel(decode(previewJpeg(256, 256, 42, 2)).data)).toBe(colours[2]);
  });
});
