/** Small statistics helpers for the benchmarks (no dependency). */

/** The median of a non-empty list (mean of the two middle values for an even length). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The smallest value of a non-empty list. */
export function min(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('min of an empty list');
  return Math.min(...values);
}

/** The largest value of a non-empty list. */
export function max(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('max of an empty list');
  return Math.max(...values);
}

/** `value` with `digits` decimals, for tables. */
export const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

/** `1.23x` */
export const times = (ratio: number): string => `${fixed(ratio, 2)}x`;

/** Bytes as MiB with one decimal. */
export const mib = (bytes: number): string => `${fixed(bytes / 2 ** 20, 1)} MiB`;
