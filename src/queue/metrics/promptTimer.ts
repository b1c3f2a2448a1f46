import type { ComfyMetrics } from './comfyMetrics';

/**
 * Times one prompt for `metrics`: `placed` when its server is chosen, then its events; observes
 * the wait in the server's queue (placed to `started`) and the run (`started` to `done`).
 * @example const timer = promptTimer(metrics); timer.placed('gpu1'); timer.event({ type: 'started' });
 */
export function promptTimer(metrics: ComfyMetrics, now: () => number = Date.now): { placed(server: string): void; event(event: { readonly type: string }): void } {
  let server: string | undefined;
  let placedAt: number | undefined;
  let startedAt: number | undefined;
  return {
    placed(name) {
      server = name;
      placedAt = now();
      startedAt = undefined;
    },
    event(event) {
      if (server === undefined || placedAt === undefined) return;
      if (event.type === 'started' && startedAt === undefined) {
        startedAt = now();
        metrics.queueWait.observe({ server }, (startedAt - placedAt) / 1000);
      } else if (event.type === 'done') {
        metrics.promptDuration.observe({ server }, (now() - (startedAt ?? placedAt)) / 1000);
      }
    },
  };
}
