/**
 * A short human duration for progress lines: `0.4s`, `12.0s`, `1m05s`.
 * @example formatDuration(65_000) // '1m05s'
 */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}
