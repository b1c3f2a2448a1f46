/** Inclusive bounds for both sides of a picture, in pixels. */
export interface SizeBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Scales `width × height` so that the long side is at most `bounds.max`, then the short side at
 * least `bounds.min`, keeping the aspect ratio where both bounds allow it (an extreme ratio such as
 * 4000×10 ends as 512×8 with bounds 8..512). Results are integers within `[min, max]`.
 * @param width Requested width; a finite number > 0.
 * @param height Requested height; a finite number > 0.
 * @param bounds Allowed side lengths, e.g. `{ min: 8, max: 512 }`.
 * @throws RangeError when a side is not a finite positive number.
 * @example fitSize(1024, 768, { min: 8, max: 512 }); // { width: 512, height: 384 }
 */
export function fitSize(width: number, height: number, bounds: SizeBounds): { width: number; height: number } {
  if (!(Number.isFinite(width) && width > 0)) throw new RangeError(`width must be a finite number > 0 (got ${width})`);
  if (!(Number.isFinite(height) && height > 0)) throw new RangeError(`height must be a finite number > 0 (got ${height})`);
  const shrink = Math.min(1, bounds.max / Math.max(width, height));
  const grow = Math.max(1, bounds.min / Math.min(width * shrink, height * shrink));
  const side = (v: number) => Math.min(bounds.max, Math.max(bounds.min, Math.round(v * shrink * grow)));
  return { width: side(width), height: side(height) };
}
