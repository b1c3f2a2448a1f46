import { riffChunk, webpFile } from '../../workflow/embedded/riffChunk';
import { AnimationOptions, fitAnimation } from './animationOptions';
import { encodeVp8l } from './encodeVp8l';
import { renderPlaceholder } from './renderPlaceholder';

/** VP8X flag bit: the file is an animation. */
const VP8X_ANIMATION_FLAG = 0x02;
/** ANMF flag bits: bit 1 set = do not blend (replace the area), bit 0 clear = no disposal. */
const ANMF_NO_BLEND = 0x02;
/** ANIM: loop forever over an opaque white background (bytes in B, G, R, A order). */
const ANIM_LOOP_FOREVER = 0;
const ANIM_BACKGROUND_BGRA = [0xff, 0xff, 0xff, 0xff];
/** Frame durations are 24-bit milliseconds. */
const MAX_DURATION_MS = 0xffffff;

/**
 * Encodes an animated WebP of placeholder frames: `RIFF/WEBP` with `VP8X` (animation flag),
 * `ANIM`, then one full-canvas `ANMF` per frame whose data is a lossless `VP8L` chunk.
 * Frame k is the placeholder picture of `seed`/`text` at `frame: k`. Size is fitted into
 * 8..256 px per side and the frame count cut to 24; each frame lasts `round(1000 / fps)` ms.
 * @param opts Size, seed, optional text, frame count and fps.
 * @returns The .webp file bytes.
 * @throws RangeError on invalid size, frames or fps (see `fitAnimation`).
 * @example writeFileSync('out.webp', animatedWebp({ width: 256, height: 256, seed: 3, frames: 16, fps: 8 }));
 */
export function animatedWebp(opts: AnimationOptions): Buffer {
  const anim = fitAnimation(opts);
  const durationMs = Math.min(MAX_DURATION_MS, Math.max(1, Math.round(1000 / anim.fps)));

  const vp8x = Buffer.alloc(10);
  vp8x.writeUInt8(VP8X_ANIMATION_FLAG, 0);
  vp8x.writeUIntLE(anim.width - 1, 4, 3);
  vp8x.writeUIntLE(anim.height - 1, 7, 3);

  const animChunk = Buffer.alloc(6);
  animChunk.set(ANIM_BACKGROUND_BGRA, 0);
  animChunk.writeUInt16LE(ANIM_LOOP_FOREVER, 4);

  const chunks = [riffChunk('VP8X', vp8x), riffChunk('ANIM', animChunk)];
  for (let frame = 0; frame < anim.frames; frame++) {
    const header = Buffer.alloc(16); // X/2 and Y/2 stay 0: every frame covers the canvas
    header.writeUIntLE(anim.width - 1, 6, 3);
    header.writeUIntLE(anim.height - 1, 9, 3);
    header.writeUIntLE(durationMs, 12, 3);
    header.writeUInt8(ANMF_NO_BLEND, 15);
    const bitstream = encodeVp8l(renderPlaceholder({ ...anim, frame }));
    chunks.push(riffChunk('ANMF', Buffer.concat([header, riffChunk('VP8L', bitstream)])));
  }
  return webpFile(chunks);
}
