import { huffmanCodeLengths } from './huffmanCodeLengths';

const kraftSum = (lengths: Uint8Array) => [...lengths].filter((l) => l > 0).reduce((sum, l) => sum + 2 ** -l, 0);

describe('huffmanCodeLengths', () => {
  it('gives the optimal lengths of a small histogram', () => {
    expect([...huffmanCodeLengths([5, 0, 1, 1], 15)]).toEqual([1, 0, 2, 2]);
    expect([...huffmanCodeLengths([10, 10, 10, 10], 15)]).toEqual([2, 2, 2, 2]);
  });

  it('gives no code to unused symbols and length 1 to a lone symbol', () => {
    expect([...huffmanCodeLengths([0, 0, 0], 15)]).toEqual([0, 0, 0]);
    expect([...huffmanCodeLengths([0, 9, 0], 15)]).toEqual([0, 1, 0]);
  });

  it('limits skewed (Fibonacci) histograms to maxLength and keeps the code complete', () => {
    const fib = [1, 1];
    while (fib.length < 40) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
    const unlimited = huffmanCodeLengths(fib, 64);
    expect(Math.max(...unlimited)).toBeGreaterThan(15); // the case really needs limiting
    for (const maxLength of [15, 7]) {
      const lengths = huffmanCodeLengths(fib.slice(0, 19), maxLength);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(maxLength);
      expect(kraftSum(lengths)).toBe(1);
    }
    const limited = huffmanCodeLengths(fib, 15);
    expect(Math.max(...limited)).toBeLessThanOrEqual(15);
    expect(kraftSum(limited)).toBe(1);
  });

  it('builds complete codes for full 256-symbol alphabets', () => {
    const histogram = Array.from({ length: 256 }, (_, i) => 1 + ((i * 7919) % 1000));
    const lengths = huffmanCodeLengths(histogram, 15);
    expect(lengths.every((l) => l > 0)).toBe(true);
    expect(kraftSum(lengths)).toBe(1);
  });

  it('throws when the alphabet cannot fit in maxLength bits', () => {
    expect(() => huffmanCodeLengths([1, 1, 1, 1, 1], 2)).toThrow(RangeError);
  });
});
