import type { PoolServerView } from './strategy';

/**
 * A round-robin picker: each call takes the first candidate at or after the position following the
 * server it chose last (in pool order, wrapping), so servers take turns; a server without a free
 * slot loses its turn. Stateful: make one per pool.
 * @example const pick = roundRobin(); pick([a, b, c]); pick([a, b, c]); // a, then b
 */
export function roundRobin(): (candidates: readonly PoolServerView[]) => PoolServerView {
  let next = 0;
  return (candidates) => {
    if (candidates.length === 0) throw new RangeError('roundRobin needs at least one candidate');
    const chosen = candidates.find((candidate) => candidate.index >= next) ?? candidates[0]!;
    next = chosen.index + 1;
    return chosen;
  };
}
