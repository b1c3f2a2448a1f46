import { solidJpeg } from './solidJpeg';

/** Latent previews are 1/8 of the picture (latent2rgb), at least this many pixels per side. */
const MIN_PREVIEW_SIDE = 8;
const MAX_PREVIEW_SIDE = 512;

/**
 * A sampler preview frame (JPEG, like ComfyUI's latent previews): one colour that drifts with
 * the step, so consecutive previews differ.
 */
export function previewJpeg(width: number, height: number, seed: number, step: number): Buffer {
  const side = (v: number) => Math.max(MIN_PREVIEW_SIDE, Math.min(MAX_PREVIEW_SIDE, Math.round(v / 8)));
  const mixed = Math.imul((seed ^ (step * 0x9e3779b1)) >>> 0, 0x85ebca6b) >>> 8;
  return solidJpeg(side(width), side(height), mixed & 0xffffff);
}
