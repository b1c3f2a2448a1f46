import { EMPTY, type Observable, type OperatorFunction, type SchedulerLike, asyncScheduler, catchError, defer, endWith, interval, map, merge, of, scan, startWith, takeWhile } from 'rxjs';
import type { PromptEvent } from '../prompt/events';
import { toError } from '../util/toError';
import { nextProgress } from './nextProgress';
import { type ProgressInput, startProgress } from './progressTrack';

/** Where a prompt is in its life, as a progress display shows it. */
export type ProgressState = 'submitting' | 'queued' | 'running' | 'done' | 'failed';

/** One picture of a prompt's progress: everything a bar or a log line shows. Immutable. */
export interface ProgressView {
  readonly state: ProgressState;
  /** Known once the server accepted the prompt. */
  readonly promptId?: string;
  /** The node running now (cleared when the prompt ends). */
  readonly node?: { readonly id: string; readonly classType?: string };
  /** Percent (0-100, one decimal) of the running node, when it reports `progress`. */
  readonly nodePercent?: number;
  /** Percent (0-100, one decimal) of the whole prompt, when the node count is known; 100 when done. */
  readonly percent?: number;
  /** Nodes cached or finished so far. */
  readonly nodesDone: number;
  /** Nodes of the workflow, when known. */
  readonly nodesTotal?: number;
  /** Prompts ahead of this one (`waiting`), and the server's queue length (`queueRemaining$`). */
  readonly queue: { readonly ahead?: number; readonly remaining?: number };
  /** Time since subscription, from the scheduler's clock. */
  readonly elapsedMs: number;
  /** Set while the server has been silent (`stalled`); cleared by the next sign of life. */
  readonly stalledMs?: number;
  /** Set while the shared socket is down and about to reconnect. */
  readonly reconnecting?: { readonly attempt: number; readonly delayMs: number };
  /** Reconnections survived so far. */
  readonly reconnects: number;
  /** Why the prompt failed (state `failed`). */
  readonly error?: Error;
}

/** Options of {@link progressView}. */
export interface ProgressViewOptions {
  /** The submitted workflow: its node count is the whole prompt's 100%. */
  readonly workflow?: Readonly<Record<string, unknown>>;
  /** Node count when the workflow is not at hand (ignored when `workflow` is given). */
  readonly totalNodes?: number;
  /** The server's queue length (e.g. `client.queueRemaining$`), followed until the prompt ends. */
  readonly queueRemaining$?: Observable<number>;
  /** Emits a view this often (ms) until the end, so `elapsedMs` advances in silence. 0: never. Default 1000. */
  readonly tickMs?: number;
  /** Clock and timers. Defaults to `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Default period (ms) of the elapsed-time tick of {@link progressView}. */
export const PROGRESS_TICK_MS = 1_000;

/**
 * Turns one prompt's {@link PromptEvent}s into {@link ProgressView}s: current node (id and
 * class_type), percent of that node and of the whole prompt (cached + finished nodes, plus the
 * running node's fraction, over the workflow's node count), queue position, elapsed time, stall
 * warnings, reconnects, and the end. Emits a first view at subscription, one per event, and one
 * per `tickMs` until the end. A source error becomes a final `failed` view carrying the error
 * (the view stream then completes, it does not error); `done` gives a final `done` view at 100%.
 * The views are {@link nextProgress} (a pure reducer) over `scan` of the events, ticks and queue lengths.
 * ```text
 * source:  q 9ms    x 9ms p 9ms d|      q = queued, x = executing "3" (KSampler), p = progress 1/2, d = done
 * result: (sq) 6ms  x 9ms p 9ms (D|)    totalNodes = 2: s = submitting 0%, q = queued 0%,
 *                                       x = running node 3 at 0%, p = node 50% / prompt 25%, D = done 100%
 * ```
 * @param options.workflow The submitted workflow (its node count); or `options.totalNodes`.
 * @param options.queueRemaining$ The server's queue length, shown as `queue.remaining`.
 * @param options.tickMs Period of the elapsed-time views, default 1000 ms; 0 turns them off.
 * @param options.scheduler Clock and timers, default `asyncScheduler` (virtual time in marble tests).
 * @example
 * comfy.run(workflow).pipe(progressView({ workflow, queueRemaining$: comfy.queueRemaining$ }))
 *   .subscribe((view) => bar.update(view.percent ?? 0, { node: view.node?.classType }));
 */
export function progressView(options: ProgressViewOptions = {}): OperatorFunction<PromptEvent, ProgressView> {
  const tickMs = options.tickMs ?? PROGRESS_TICK_MS;
  if (!(tickMs >= 0) || !Number.isFinite(tickMs)) throw new RangeError(`tickMs must be a finite number >= 0 (got ${tickMs})`);
  const start = startProgress(options);
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    defer(() => {
      const startedAt = scheduler.now();
      const elapsedMs = (): number => scheduler.now() - startedAt;
      const ticks$: Observable<ProgressInput> = tickMs > 0 ? interval(tickMs, scheduler).pipe(map(() => ({ type: 'tick', elapsedMs: elapsedMs() }))) : EMPTY;
      const queue$: Observable<ProgressInput> = options.queueRemaining$
        ? options.queueRemaining$.pipe(
            map((remaining): ProgressInput => ({ type: 'queue', remaining, elapsedMs: elapsedMs() })),
            catchError(() => EMPTY),
          )
        : EMPTY;
      const events$: Observable<ProgressInput> = source.pipe(
        map((event): ProgressInput => ({ type: 'event', event, elapsedMs: elapsedMs() })),
        endWith<ProgressInput>({ type: 'end' }),
        catchError((err: unknown) => of<ProgressInput>({ type: 'error', error: toError(err), elapsedMs: elapsedMs() })),
      );
      return merge(ticks$, queue$, events$).pipe(
        scan(nextProgress, start),
        takeWhile((track) => track.end !== 'closed'),
        takeWhile((track) => track.end !== 'final', true),
        map((track) => track.view),
        startWith(start.view),
      );
    });
}
