import type { ComfyPool } from '../../pool/comfyPool';
import type { ComfyMetrics } from './comfyMetrics';

/**
 * Reports a pool's servers in `metrics` whenever they are scraped: `server_up` (the pool's own
 * health view: 1 unless it took the server out) and `server_in_flight`. Returns a function that
 * stops it. Prompt timings come from {@link measurePrompts} on the pool's runs.
 * @example const stop = observePool(pool, metrics);
 */
export function observePool(pool: ComfyPool, metrics: ComfyMetrics): () => void {
  const collect = (): void => {
    for (const server of pool.servers) {
      metrics.serverUp.set({ server: server.name }, server.health === 'down' || server.health === 'dead' ? 0 : 1);
      metrics.inFlight.set({ server: server.name }, server.inFlight);
    }
  };
  metrics.collectors.add(collect);
  return () => metrics.collectors.delete(collect);
}
