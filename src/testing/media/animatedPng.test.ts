import { crc32 } from 'node:zlib';
import { decodeApng } from 'fast-png';
import { PNG } from 'pngjs';
import { meanChannelDifference } from './__fixtures__/pixelStats';
import { animatedPng } from './animatedPng';
import { renderPlaceholder } from './renderPlaceholder';

interface Chunk {
  type: string;
  data: Buffer;
}

/** Independent PNG chunk parser for the test: checks the signature, bounds and every CRC. */
function parseChunks(file: Buffer): Chunk[] {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Chunk[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const typeAndData = file.subarray(at + 4, at + 8 + length);
    expect(at + 12 + length).toBeLessThanOrEqual(file.length);
    const type = typeAndData.toString('latin1', 0, 4);
    if (file.readUInt32BE(at + 8 + length) !== crc32(typeAndData)) throw new Error(`bad CRC on ${type} at byte ${at}`);
    chunks.push({ type, data: typeAndData.subarray(4) });
    at += 12 + length;
  }
  return chunks;
}

/** RGB pixels (what an RGB PNG decodes to) as opaque RGBA, to compare with rendered pictures. */
function opaqueRgba(rgb: ArrayLike<number>): Buffer {
  const out = Buffer.alloc((rgb.length / 3) * 4, 255);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!;
    out[j + 1] = rgb[i + 1]!;
    out[j + 2] = rgb[i + 2]!;
  }
  return out;
}

describe('animatedPng', () => {
  const opts = { width: 96, height: 64, seed: 11, text: 'waves', frames: 4, fps: 8 };
  const file = animatedPng(opts);
  const chunks = parseChunks(file);

  it('lays out IHDR, acTL, fcTL, IDAT, then fcTL + fdAT per further frame, and IEND, all CRCs valid', () => {
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'acTL', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'fcTL', 'fdAT', 'fcTL', 'fdAT', 'IEND']);
  });

  it('declares the frame count and infinite looping in acTL', () => {
    const actl = chunks[1].data;
    expect([actl.readUInt32BE(0), actl.readUInt32BE(4)]).toEqual([4, 0]);
  });

  it('numbers fcTL and fdAT chunks 0, 1, 2, ... without gaps', () => {
    const sequence = chunks.filter((c) => c.type === 'fcTL' || c.type === 'fdAT').map((c) => c.data.readUInt32BE(0));
    expect(sequence).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('makes every frame cover the canvas for 1/fps s, replacing the previous one', () => {
    const ihdr = chunks[0].data;
    for (const fctl of chunks.filter((c) => c.type === 'fcTL').map((c) => c.data)) {
      expect(fctl.length).toBe(26);
      expect([fctl.readUInt32BE(4), fctl.readUInt32BE(8)]).toEqual([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]);
      expect([fctl.readUInt32BE(12), fctl.readUInt32BE(16)]).toEqual([0, 0]); // offsets
      expect([fctl.readUInt16BE(20), fctl.readUInt16BE(22)]).toEqual([1, 8]); // delay 1/8 s
      expect([fctl[24], fctl[25]]).toEqual([0, 0]); // dispose none, blend source
    }
  });

  it('is a valid PNG whose default image is frame 0', () => {
    const png = PNG.sync.read(file);
    expect([png.width, png.height]).toEqual([96, 64]);
    expect(png.data.equals(renderPlaceholder({ ...opts, frame: 0 }).data)).toBe(true);
  });

  it('decodes (fast-png, CRCs checked) to 4 frames of 1/8 s, looping forever, on a 96x64 RGB canvas', () => {
    const apng = decodeApng(file, { checkCrc: true });
    expect([apng.width, apng.height, apng.channels, apng.depth]).toEqual([96, 64, 3, 8]);
    expect([apng.numberOfFrames, apng.numberOfPlays]).toEqual([4, 0]);
    expect(apng.frames.map((f) => [f.delayNumber, f.delayDenominator])).toEqual([[1, 8], [1, 8], [1, 8], [1, 8]]);
  });

  it('decodes each frame (fast-png) to the placeholder picture of that frame index, and the frames move', () => {
    const frames = decodeApng(file, { checkCrc: true }).frames.map((f) => opaqueRgba(f.data));
    expect(frames).toHaveLength(4);
    frames.forEach((data, k) => expect(data.equals(renderPlaceholder({ ...opts, frame: k }).data)).toBe(true));
    for (let k = 1; k < 4; k++) expect(meanChannelDifference(frames[k - 1]!, frames[k]!)).toBeGreaterThan(0.5);
  });

  it('draws other pictures for another seed', () => {
    const other = PNG.sync.read(animatedPng({ ...opts, seed: 12 })).data;
    expect(meanChannelDifference(PNG.sync.read(file).data, other)).toBeGreaterThan(25);
  });

  it('caps the size at 256 px and the frame count at 24', () => {
    const big = parseChunks(animatedPng({ width: 1024, height: 512, seed: 1, frames: 40, fps: 24 }));
    expect([big[0].data.readUInt32BE(0), big[0].data.readUInt32BE(4)]).toEqual([256, 128]);
    expect(big[1].data.readUInt32BE(0)).toBe(24);
    expect(big.filter((c) => c.type === 'fcTL')).toHaveLength(24);
  });

  it('writes a millisecond delay for fractional fps', () => {
    const [frame] = decodeApng(animatedPng({ ...opts, frames: 1, fps: 7.5 })).frames;
    expect([frame!.delayNumber, frame!.delayDenominator]).toEqual([133, 1000]);
  });

  it.each([
    { frames: 0, fps: 8 },
    { frames: 1.5, fps: 8 },
    { frames: 2, fps: 0 },
    { frames: 2, fps: Number.NaN },
  ])('throws a RangeError for %p', (bad) => {
    expect(() => animatedPng({ ...opts, ...bad })).toThrow(RangeError);
  });
});
