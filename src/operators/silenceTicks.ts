import { type OperatorFunction, type SchedulerLike, asyncScheduler, connect, endWith, ignoreElements, map, startWith, switchMap, takeUntil, timer } from 'rxjs';

/**
 * Emits how long the source has been silent, every `periodMs` of silence: `periodMs`, `2*periodMs`...
 * Each source value restarts the count. The count starts at subscription. Source values are not
 * forwarded. Completes (and errors) with the source.
 * ```text
 * source: a 30ms b 120ms              c|   periodMs = 50
 * result: - 30ms - 49ms x 49ms y 20ms -|   x = 50, y = 100
 * ```
 * @param periodMs Silence, in ms, between two ticks; must be > 0.
 * @param scheduler Drives the timers. Defaults to `asyncScheduler`.
 * @example messages$.pipe(silenceTicks(30_000)).subscribe((ms) => log.warn({ ms }, 'quiet'));
 */
export function silenceTicks(periodMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<unknown, number> {
  if (!(periodMs > 0)) throw new RangeError(`periodMs must be > 0 (got ${periodMs})`);
  return (source) =>
    source.pipe(
      connect((shared$) =>
        shared$.pipe(
          startWith(undefined),
          switchMap(() => timer(periodMs, periodMs, scheduler).pipe(map((index) => (index + 1) * periodMs))),
          takeUntil(shared$.pipe(ignoreElements(), endWith(true))),
        ),
      ),
    );
}
