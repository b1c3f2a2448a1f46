import { PNG } from 'pngjs';
import { distinctColours, meanChannelDifference } from './__fixtures__/pixelStats';
import { placeholderPng } from './placeholderPng';
import { renderPlaceholder } from './renderPlaceholder';

const decode = (png: Buffer) => PNG.sync.read(png);

describe('placeholderPng', () => {
  it('encodes a PNG that pngjs decodes at the requested size, opaque, with the rendered pixels', () => {
    const png = decode(placeholderPng({ width: 200, height: 100, seed: 1 }));
    expect([png.width, png.height]).toEqual([200, 100]);
    expect(png.data.equals(renderPlaceholder({ width: 200, height: 100, seed: 1 }).data)).toBe(true);
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) throw new Error(`alpha ${png.data[i]} at ${i}`);
  });

  it('fits the size into 8..512 px, keeping the aspect ratio', () => {
    const size = (width: number, height: number) => {
      const png = decode(placeholderPng({ width, height, seed: 1 }));
      return [png.width, png.height];
    };
    expect(size(1024, 768)).toEqual([512, 384]);
    expect(size(4, 2)).toEqual([16, 8]);
    expect(size(4096, 4096)).toEqual([512, 512]);
  });

  it('is deterministic: the same inputs give the same bytes', () => {
    const opts = { width: 96, height: 64, seed: 123, text: 'a red fox', frame: 2 };
    expect(placeholderPng(opts).equals(placeholderPng(opts))).toBe(true);
  });

  it('draws a clearly different picture for another seed', () => {
    for (const [a, b] of [[1, 2], [42, 43], [0, 2 ** 40], [-7, 7]]) {
      const pa = decode(placeholderPng({ width: 128, height: 128, seed: a })).data;
      const pb = decode(placeholderPng({ width: 128, height: 128, seed: b })).data;
      expect(meanChannelDifference(pa, pb)).toBeGreaterThan(25);
    }
  });

  it('draws a clearly different picture for another text', () => {
    const cat = decode(placeholderPng({ width: 128, height: 128, seed: 5, text: 'a cat' })).data;
    const dog = decode(placeholderPng({ width: 128, height: 128, seed: 5, text: 'a dog' })).data;
    const none = decode(placeholderPng({ width: 128, height: 128, seed: 5 })).data;
    expect(meanChannelDifference(cat, dog)).toBeGreaterThan(25);
    expect(meanChannelDifference(cat, none)).toBeGreaterThan(25);
  });

  it('is colourful, not a flat fill', () => {
    const { data } = decode(placeholderPng({ width: 128, height: 128, seed: 9 }));
    expect(distinctColours(data)).toBeGreaterThan(1000);
  });

  it('moves a little from one frame to the next', () => {
    const frame = (n: number) => decode(placeholderPng({ width: 128, height: 128, seed: 3, frame: n })).data;
    const step = meanChannelDifference(frame(0), frame(1));
    expect(step).toBeGreaterThan(0.5);
    expect(step).toBeLessThan(15);
  });

  it.each([0, -1, Number.NaN])('throws a RangeError for width %p', (width) => {
    expect(() => placeholderPng({ width, height: 64, seed: 1 })).toThrow(RangeError);
  });
});
