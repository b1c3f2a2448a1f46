import { fitSize } from './fitSize';

/** Limits of the animated encoders: they run per request, so frames stay small and few. */
export const ANIMATION_LIMITS = { minSide: 8, maxSide: 256, maxFrames: 24 } as const;

/** Inputs of `animatedPng` and `animatedWebp`. */
export interface AnimationOptions {
  /** Requested width; fitted with the height into 8..256 px per side, keeping the aspect ratio. */
  readonly width: number;
  /** Requested height. */
  readonly height: number;
  /** Picks the colours and shapes (same picture as `placeholderPng` for frame 0). */
  readonly seed: number;
  /** Mixed into the seed (e.g. the prompt text). */
  readonly text?: string;
  /** Number of frames, an integer >= 1; more than 24 are cut to 24. */
  readonly frames: number;
  /** Frames per second, a finite number > 0. */
  readonly fps: number;
}

/** {@link AnimationOptions} after validation and clamping (same fields, values within the limits). */
export type FittedAnimation = AnimationOptions;

/**
 * Validates animation options and clamps size and frame count to {@link ANIMATION_LIMITS}.
 * @throws RangeError for a non-positive size, a frame count that is not an integer >= 1, or an fps that is not > 0.
 * @example fitAnimation({ width: 1024, height: 512, seed: 1, frames: 40, fps: 8 }); // 256×128, 24 frames
 */
export function fitAnimation(opts: AnimationOptions): FittedAnimation {
  const { seed, text, frames, fps } = opts;
  if (!(Number.isInteger(frames) && frames >= 1)) throw new RangeError(`frames must be an integer >= 1 (got ${frames})`);
  if (!(Number.isFinite(fps) && fps > 0)) throw new RangeError(`fps must be a finite number > 0 (got ${fps})`);
  const size = fitSize(opts.width, opts.height, { min: ANIMATION_LIMITS.minSide, max: ANIMATION_LIMITS.maxSide });
  return { ...size, seed, text, frames: Math.min(frames, ANIMATION_LIMITS.maxFrames), fps };
}
