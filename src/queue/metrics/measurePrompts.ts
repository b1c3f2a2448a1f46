import { type MonoTypeOperatorFunction, defer, tap } from 'rxjs';
import type { PoolEvent } from '../../pool/events';
import type { ComfyMetrics } from './comfyMetrics';
import { promptTimer } from './promptTimer';

/**
 * Observes each prompt of a pool run in `metrics`: the wait in its server's queue (`dispatched` to
 * `started`) and its duration (`started` to `done`), per server; events pass through unchanged.
 * ```text
 * source: -d--s----(x|)    d = dispatched {server: a}, s = started, x = done
 * result: -d--s----(x|)    queueWait{server=a} observes d..s, promptDuration{server=a} s..x
 * ```
 * @example pool.run(workflow).pipe(measurePrompts(metrics)).subscribe(...)
 */
export function measurePrompts(metrics: ComfyMetrics, now: () => number = Date.now): MonoTypeOperatorFunction<PoolEvent> {
  return (source) =>
    defer(() => {
      const timer = promptTimer(metrics, now);
      return source.pipe(tap((event) => (event.type === 'dispatched' ? timer.placed(event.server) : timer.event(event))));
    });
}
