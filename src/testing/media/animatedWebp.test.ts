import { decodeVp8l } from './__fixtures__/decodeVp8l';
import { decodeFramesWithLibwebp, webpToolsAvailable } from './__fixtures__/dwebp';
import { parseAnimatedWebp } from './__fixtures__/parseAnimatedWebp';
import { meanChannelDifference } from './__fixtures__/pixelStats';
import { animatedWebp } from './animatedWebp';
import { renderPlaceholder } from './renderPlaceholder';

describe('animatedWebp', () => {
  const opts = { width: 96, height: 64, seed: 11, text: 'waves', frames: 4, fps: 8 };
  const file = animatedWebp(opts);
  const parsed = parseAnimatedWebp(file);

  it('is a RIFF/WEBP file of VP8X, ANIM and one ANMF per frame, each holding one VP8L chunk', () => {
    expect(file.toString('latin1', 0, 4)).toBe('RIFF');
    expect(file.readUInt32LE(4)).toBe(file.length - 8);
    expect(parsed.chunks).toEqual(['VP8X', 'ANIM', 'ANMF', 'ANMF', 'ANMF', 'ANMF']);
    for (const frame of parsed.frames) expect(frame.innerChunks).toEqual(['VP8L']);
  });

  it('flags an animation (and nothing else) on a canvas of the fitted size', () => {
    expect(parsed.vp8xFlags).toBe(0x02);
    expect([parsed.canvasWidth, parsed.canvasHeight]).toEqual([96, 64]);
  });

  it('loops forever over an opaque white background', () => {
    expect(parsed.loopCount).toBe(0);
    expect(parsed.background).toEqual([255, 255, 255, 255]);
  });

  it('makes every frame cover the canvas for 1000/fps ms, without blending or disposal', () => {
    for (const frame of parsed.frames) {
      expect(frame).toMatchObject({ x: 0, y: 0, width: 96, height: 64, durationMs: 125, flags: 0x02 });
    }
  });

  it('carries in each frame the placeholder picture of that frame index, and the frames move', () => {
    const frames = parsed.frames.map((f) => decodeVp8l(f.vp8l));
    frames.forEach((decoded, k) => {
      expect([decoded.width, decoded.height]).toEqual([96, 64]);
      expect(decoded.rgba.equals(renderPlaceholder({ ...opts, frame: k }).data)).toBe(true);
    });
    for (let k = 1; k < frames.length; k++) expect(meanChannelDifference(frames[k - 1].rgba, frames[k].rgba)).toBeGreaterThan(0.5);
  });

  it('draws other pictures for another seed', () => {
    const other = decodeVp8l(parseAnimatedWebp(animatedWebp({ ...opts, seed: 12 })).frames[0].vp8l).rgba;
    expect(meanChannelDifference(decodeVp8l(parsed.frames[0].vp8l).rgba, other)).toBeGreaterThan(25);
  });

  it('is deterministic', () => {
    expect(animatedWebp(opts).equals(file)).toBe(true);
  });

  it('caps the size at 256 px and the frame count at 24', () => {
    const big = parseAnimatedWebp(animatedWebp({ width: 512, height: 2048, seed: 1, frames: 40, fps: 24 }));
    expect([big.canvasWidth, big.canvasHeight]).toEqual([64, 256]);
    expect(big.frames).toHaveLength(24);
    expect(big.frames[0].durationMs).toBe(42);
  });

  it('pads odd-sized chunks to an even length', () => {
    const sizes = [1, 2, 3, 4, 5].map((seed) => animatedWebp({ ...opts, seed, frames: 2 }));
    // parseAnimatedWebp rejects bad padding; at least one of these has an odd VP8L payload
    expect(sizes.some((f) => parseAnimatedWebp(f).frames.some((fr) => fr.vp8l.length % 2 === 1))).toBe(true);
  });

  it.each([
    { frames: 0, fps: 8 },
    { frames: 2, fps: -1 },
    { width: 0, frames: 2, fps: 8 },
  ])('throws a RangeError for %p', (bad) => {
    expect(() => animatedWebp({ ...opts, ...bad })).toThrow(RangeError);
  });
});

// Defined only where libwebp's tools are installed (Debian: `apt-get install webp`); the decoding
// above through the spec-written test decoder is the check that runs everywhere.
if (webpToolsAvailable()) describe('animatedWebp, decoded by libwebp (webpmux + dwebp)', () => {
  it('decodes every frame to the placeholder picture of that frame index', () => {
    const opts = { width: 120, height: 90, seed: 21, frames: 3, fps: 12 };
    const frames = decodeFramesWithLibwebp(animatedWebp(opts), 3);
    frames.forEach((decoded, k) => {
      expect([decoded.width, decoded.height]).toEqual([120, 90]);
      expect(decoded.rgba.equals(renderPlaceholder({ ...opts, frame: k }).data)).toBe(true);
    });
  });
});
