import { AnimationOptions, fitAnimation } from './animationOptions';
import { pngParts } from './encodePng';
import { PNG_SIGNATURE, pngChunk } from './pngChunk';
import { renderPlaceholder } from './renderPlaceholder';

/** fcTL `dispose_op` and `blend_op` values we use: leave the frame as is, replace the area. */
const APNG_DISPOSE_NONE = 0;
const APNG_BLEND_SOURCE = 0;
/** acTL `num_plays` 0 = loop forever. */
const APNG_LOOP_FOREVER = 0;

/**
 * Encodes an animated PNG (APNG) of placeholder frames: `IHDR, acTL, fcTL, IDAT, (fcTL, fdAT)*, IEND`.
 * Frame k is the placeholder picture of `seed`/`text` at `frame: k`; every frame covers the whole
 * canvas. Viewers without APNG support show frame 0. Size is fitted into 8..256 px per side and the
 * frame count cut to 24.
 * @param opts Size, seed, optional text, frame count and fps.
 * @returns The APNG file bytes (a valid PNG too).
 * @throws RangeError on invalid size, frames or fps (see `fitAnimation`).
 * @example writeFileSync('out.png', animatedPng({ width: 256, height: 256, seed: 3, frames: 16, fps: 8 }));
 */
export function animatedPng(opts: AnimationOptions): Buffer {
  const anim = fitAnimation(opts);
  const [delayNum, delayDen] = frameDelay(anim.fps);
  const parts: Buffer[] = [PNG_SIGNATURE];
  let sequence = 0;
  for (let frame = 0; frame < anim.frames; frame++) {
    const { ihdr, idat } = pngParts(renderPlaceholder({ ...anim, frame }));
    if (frame === 0) {
      parts.push(pngChunk('IHDR', ihdr));
      parts.push(pngChunk('acTL', u32s(anim.frames, APNG_LOOP_FOREVER)));
    }
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(sequence++, 0);
    fctl.writeUInt32BE(anim.width, 4);
    fctl.writeUInt32BE(anim.height, 8); // x and y offsets stay 0
    fctl.writeUInt16BE(delayNum, 20);
    fctl.writeUInt16BE(delayDen, 22);
    fctl.writeUInt8(APNG_DISPOSE_NONE, 24);
    fctl.writeUInt8(APNG_BLEND_SOURCE, 25);
    parts.push(pngChunk('fcTL', fctl));
    parts.push(frame === 0 ? pngChunk('IDAT', idat) : pngChunk('fdAT', Buffer.concat([u32s(sequence++), idat])));
  }
  parts.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** fcTL delay as a fraction of a second: exactly 1/fps for whole fps, else rounded milliseconds. */
function frameDelay(fps: number): [number, number] {
  if (Number.isInteger(fps) && fps <= 0xffff) return [1, fps];
  return [Math.min(0xffff, Math.max(1, Math.round(1000 / fps))), 1000];
}

function u32s(...values: number[]): Buffer {
  const out = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => out.writeUInt32BE(v, 4 * i));
  return out;
}
