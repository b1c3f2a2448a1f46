import { PNG } from 'pngjs';
import { encodePng } from './encodePng';
import { RgbaImage } from './renderPlaceholder';
import { seededRandom } from './seededRandom';

const noise = (width: number, height: number, seed: number): RgbaImage => {
  const rnd = seededRandom(seed);
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
  return { width, height, data };
};

/** The same pixels made opaque: what an RGB PNG decodes to. */
const opaque = (image: RgbaImage) => {
  const data = Buffer.from(image.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return data;
};

describe('encodePng', () => {
  it.each([
    [1, 1],
    [1, 7],
    [7, 1],
    [33, 21],
  ])('encodes %i×%i noise losslessly as RGB (pngjs decodes the same colours, opaque)', (width, height) => {
    const image = noise(width, height, width * 100 + height);
    const png = PNG.sync.read(encodePng(image));
    expect([png.width, png.height]).toEqual([width, height]);
    expect(png.data.equals(opaque(image))).toBe(true);
  });

  it('writes an 8-bit RGB, non-interlaced IHDR', () => {
    const file = encodePng(noise(5, 3, 1));
    expect(file.toString('latin1', 12, 16)).toBe('IHDR');
    expect([...file.subarray(24, 29)]).toEqual([8, 2, 0, 0, 0]); // depth, colour type, compression, filter, interlace
  });
});
