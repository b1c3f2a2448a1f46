/**
 * A deterministic pseudo-random generator (mulberry32) seeded from a number and an optional text.
 * The same `(seed, text)` always yields the same sequence; any change to either yields another one.
 * Not cryptographic: it only makes placeholder pictures differ per seed and per prompt text.
 * An empty `text` counts as no text.
 * @param seed Any number (large ComfyUI seeds, negatives and fractions are told apart via their decimal form).
 * @param text Optional text mixed into the seed.
 * @returns A function returning floats in `[0, 1)`.
 * @example const rnd = seededRandom(42, 'a cat'); const hue = rnd() * 360;
 */
export function seededRandom(seed: number, text = ''): () => number {
  let state = fnv1a(`${String(seed)}\u0000${text}`);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a over the UTF-16 code units of `s`. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
