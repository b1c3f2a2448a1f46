import { type DecodedWebp, decodeWebp } from './__fixtures__/decodeWebp';
import { meanChannelDifference } from './__fixtures__/pixelStats';
import { animatedWebp } from './animatedWebp';
import { renderPlaceholder } from './renderPlaceholder';

/** FourCCs of the top-level RIFF chunks, in file order (the layout, not the content). */
function topLevelChunks(file: Buffer): string[] {
  const names: string[] = [];
  for (let at = 12; at + 8 <= file.length; at += 8 + file.readUInt32LE(at + 4) + (file.readUInt32LE(at + 4) & 1)) names.push(file.toString('latin1', at, at + 4));
  return names;
}

describe('animatedWebp, decoded by libwebp', () => {
  const opts = { width: 96, height: 64, seed: 11, text: 'waves', frames: 4, fps: 8 };
  const file = animatedWebp(opts);
  let decoded: DecodedWebp;
  beforeAll(async () => {
    decoded = await decodeWebp(file);
  });

  it('is a RIFF/WEBP file of VP8X, ANIM and one ANMF per frame', () => {
    expect(file.toString('latin1', 0, 4)).toBe('RIFF');
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
    expect(topLevelChunks(file)).toEqual(['VP8X', 'ANIM', 'ANMF', 'ANMF', 'ANMF', 'ANMF']);
  });

  it('is an animation on a canvas of the fitted size, without alpha', () => {
    expect(decoded.animated).toBe(true);
    expect([decoded.width, decoded.height]).toEqual([96, 64]);
    expect(file[20]).toBe(0x02); // VP8X flags: animation only
  });

  it('loops forever over an opaque white background', () => {
    expect(decoded.loopCount).toBe(0);
    expect(decoded.background).toEqual([255, 255, 255, 255]);
  });

  it('makes every frame cover the canvas for 1000/fps ms, without blending or disposal', () => {
    expect(decoded.frames).toHaveLength(4);
    for (const frame of decoded.frames) {
      expect(frame).toMatchObject({ x: 0, y: 0, width: 96, height: 64, durationMs: 125, blend: false, dispose: false, alphaHint: false });
    }
  });

  it('decodes each frame to the placeholder picture of that frame index, and the frames move', () => {
    decoded.frames.forEach((frame, k) => expect(frame.rgba.equals(renderPlaceholder({ ...opts, frame: k }).data)).toBe(true));
    for (let k = 1; k < decoded.frames.length; k++) expect(meanChannelDifference(decoded.frames[k - 1]!.rgba, decoded.frames[k]!.rgba)).toBeGreaterThan(0.5);
  });

  it('draws other pictures for another seed', async () => {
    const other = await decodeWebp(animatedWebp({ ...opts, seed: 12 }));
    expect(meanChannelDifference(decoded.frames[0]!.rgba, other.frames[0]!.rgba)).toBeGreaterThan(25);
  });

  it('is deterministic', () => {
    expect(animatedWebp(opts).equals(file)).toBe(true);
  });

  it('caps the size at 256 px and the frame count at 24', async () => {
    const big = await decodeWebp(animatedWebp({ width: 512, height: 2048, seed: 1, frames: 40, fps: 24 }));
    expect([big.width, big.height]).toEqual([64, 256]);
    expect(big.frames).toHaveLength(24);
    expect(big.frames[0]!.durationMs).toBe(42);
    expect(big.frames[23]!.rgba.equals(renderPlaceholder({ width: 64, height: 256, seed: 1, frame: 23 }).data)).toBe(true);
  });

  it('pads odd-sized chunks to an even length, so the frames after them still decode', async () => {
    const files = [1, 2, 3, 4, 5].map((seed) => ({ seed, file: animatedWebp({ ...opts, seed, frames: 2 }) }));
    const withOdd = [];
    for (const { seed, file: f } of files) {
      const d = await decodeWebp(f);
      if (d.frames[0]!.bitstreamBytes % 2 === 1) withOdd.push({ seed, d });
    }
    expect(withOdd.length).toBeGreaterThan(0);
    for (const { seed, d } of withOdd) expect(d.frames[1]!.rgba.equals(renderPlaceholder({ ...opts, seed, frame: 1 }).data)).toBe(true);
  });

  it.each([
    { frames: 0, fps: 8 },
    { frames: 2, fps: -1 },
    { width: 0, frames: 2, fps: 8 },
  ])('throws a RangeError for %p', (bad) => {
    expect(() => animatedWebp({ ...opts, ...bad })).toThrow(RangeError);
  });
});
