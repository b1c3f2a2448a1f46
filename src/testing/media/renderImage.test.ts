import { PNG } from 'pngjs';
import { FileStore } from '../server/fileStore';
import { pngSize, renderImage } from './renderImage';

const recipe = (source: Parameters<typeof renderImage>[0]['source'], over: Partial<Parameters<typeof renderImage>[0]> = {}) => ({ width: 12, height: 5, source, inverted: false, item: 0, frame: 0, ...over });

/** Distinct RGB colours of an RGBA buffer as 0xRRGGBB. */
const colours = (rgba: Buffer) => {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) seen.add((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!);
  return [...seen];
};

describe('renderImage (decoded by pngjs)', () => {
  const files = new FileStore();

  it('renders an EmptyImage colour exactly, and its inverse', () => {
    const png = PNG.sync.read(renderImage(recipe({ type: 'solid', color: 0x3a6ea5 }), files));
    expect([png.width, png.height]).toEqual([12, 5]);
    expect(colours(png.data)).toEqual([0x3a6ea5]);
    expect(colours(PNG.sync.read(renderImage(recipe({ type: 'solid', color: 0x3a6ea5 }, { inverted: true }), files)).data)).toEqual([0xc5915a]);
  });

  it('scales solid pictures down to 2048 px on the long side', () => {
    expect(pngSize(renderImage(recipe({ type: 'solid', color: 1 }, { width: 4096, height: 1024 }), files))).toEqual({ width: 2048, height: 512 });
  });

  it('returns an uploaded PNG as it is, and inverts it pixel by pixel (alpha dropped: opaque RGB)', () => {
    const upload = new PNG({ width: 2, height: 1 });
    upload.data = Buffer.from([10, 20, 30, 255, 200, 100, 0, 128]);
    const bytes = PNG.sync.write(upload);
    files.put('input', '', 'up.png', { kind: 'bytes', data: bytes });
    const source = { type: 'file' as const, fileKey: FileStore.key('input', '', 'up.png') };
    expect(renderImage(recipe(source), files)).toBe(bytes);
    const inverted = PNG.sync.read(renderImage(recipe(source, { inverted: true }), files));
    // ComfyUI computes in float32 and truncates: 200 becomes 54, not 55 (recorded: 250 became 4)
    expect([...inverted.data]).toEqual([245, 235, 225, 255, 54, 155, 255, 255]);
  });

  it('renders a seeded placeholder for a missing upload', () => {
    const source = { type: 'file' as const, fileKey: 'input//missing.png' };
    const png = PNG.sync.read(renderImage(recipe(source, { width: 64, height: 64 }), files));
    expect([png.width, png.height]).toEqual([64, 64]);
    expect(colours(png.data).length).toBeGreaterThan(50);
  });

  it('pngSize reads the IHDR size, and nothing from other bytes', () => {
    expect(pngSize(renderImage(recipe({ type: 'solid', color: 5 }), files))).toEqual({ width: 12, height: 5 });
    expect(pngSize(Buffer.from('not a png at all, no'))).toBeUndefined();
  });
});
