/** Test-only pixel statistics. Lives under __fixtures__ so the package build leaves it out. */

/** Mean absolute difference per colour channel (R, G, B; alpha ignored) of two equal-size RGBA buffers, 0..255. */
export function meanChannelDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`size mismatch: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    if ((i & 3) === 3) continue;
    const d = a[i] - b[i];
    sum += d < 0 ? -d : d; // no Math.abs: Math calls are very slow in jest's VM contexts
  }
  return sum / ((a.length / 4) * 3);
}

/** Number of distinct RGB colours in an RGBA buffer. */
export function distinctColours(rgba: Uint8Array): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) seen.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
  return seen.size;
}
