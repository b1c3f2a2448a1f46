import type { PoolServerView } from './strategy';

/**
 * The candidate with the lowest {@link PoolServerView.load}; ties go to the one with fewer of this
 * pool's prompts in flight, then to the first in the pool's order.
 * @example leastLoaded([{ name: 'a', load: 3, ... }, { name: 'b', load: 1, ... }]) // b
 */
export function leastLoaded(candidates: readonly PoolServerView[]): PoolServerView {
  let best = candidates[0];
  if (!best) throw new RangeError('leastLoaded needs at least one candidate');
  for (const candidate of candidates) {
    if (candidate.load < best.load || (candidate.load === best.load && candidate.inFlight < best.inFlight)) best = candidate;
  }
  return best;
}
