import { seededRandom } from './seededRandom';

const take = (rnd: () => number, n = 8) => Array.from({ length: n }, rnd);

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and text', () => {
    expect(take(seededRandom(42, 'cat'))).toEqual(take(seededRandom(42, 'cat')));
  });

  it('gives another sequence for another seed, text, or a seed beyond 2^32', () => {
    const base = take(seededRandom(42, 'cat'));
    expect(take(seededRandom(43, 'cat'))).not.toEqual(base);
    expect(take(seededRandom(42, 'dog'))).not.toEqual(base);
    expect(take(seededRandom(2 ** 32 + 42, 'cat'))).not.toEqual(base);
  });

  it('treats an empty text as no text', () => {
    expect(take(seededRandom(7, ''))).toEqual(take(seededRandom(7)));
  });

  it('returns floats in [0, 1) that spread over the range', () => {
    const values = take(seededRandom(1), 1000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
