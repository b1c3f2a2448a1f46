import { Observable, type OperatorFunction, type SchedulerLike, type Subscription, asyncScheduler, interval } from 'rxjs';
import type { PromptEvent } from '../prompt/events';
import { toError } from '../util/toError';

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

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;
/** Drops keys whose value is `undefined`, so views compare and serialise cleanly. */
const withoutUndefined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * Turns one prompt's {@link PromptEvent}s into {@link ProgressView}s: current node (id and
 * class_type), percent of that node and of the whole prompt (cached + finished nodes, plus the
 * running node's fraction, over the workflow's node count), queue position, elapsed time, stall
 * warnings, reconnects, and the end. Emits a first view at subscription, one per event, and one
 * per `tickMs` until the end. A source error becomes a final `failed` view carrying the error
 * (the view stream then completes, it does not error); `done` gives a final `done` view at 100%.
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
  if (options.totalNodes !== undefined && !(Number.isInteger(options.totalNodes) && options.totalNodes > 0)) {
    throw new RangeError(`totalNodes must be a positive integer (got ${options.totalNodes})`);
  }
  const knownNodes = options.workflow ? new Set(Object.keys(options.workflow)) : undefined;
  const total = knownNodes ? knownNodes.size || undefined : options.totalNodes;
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<ProgressView>((subscriber) => {
      const startedAt = scheduler.now();
      const finished = new Set<string>();
      let view: ProgressView = { state: 'submitting', nodesDone: 0, queue: {}, elapsedMs: 0, reconnects: 0, ...(total ? { nodesTotal: total } : {}) };
      let nodeFraction = 0;
      let ended = false;
      const side: Subscription[] = [];

      const counts = (node: string): boolean => !knownNodes || knownNodes.has(node);
      const finishNode = (node: string | undefined): void => {
        if (node !== undefined && counts(node)) finished.add(node);
      };
      const promptPercent = (at: ProgressView): number | undefined => {
        if (!total) return undefined;
        const running = at.node && counts(at.node.id) && !finished.has(at.node.id) ? nodeFraction : 0;
        return Math.min(100, oneDecimal((100 * (finished.size + running)) / total));
      };
      const publish = (patch: Partial<ProgressView>): void => {
        const next: ProgressView = { ...view, ...patch, elapsedMs: scheduler.now() - startedAt };
        const percent = next.state === 'done' && total ? 100 : next.state === 'done' ? undefined : promptPercent(next);
        view = withoutUndefined({ ...next, nodesDone: finished.size, percent });
        subscriber.next(view);
      };
      const end = (patch: Partial<ProgressView>): void => {
        ended = true;
        for (const subscription of side) subscription.unsubscribe();
        publish(patch);
        subscriber.complete();
      };
      /** Any sign of life clears the stall and reconnect notices. */
      const alive = { stalledMs: undefined, reconnecting: undefined };

      const onEvent = (event: PromptEvent): void => {
        switch (event.type) {
          case 'queued':
            publish({ ...alive, state: view.state === 'submitting' ? 'queued' : view.state, promptId: event.promptId });
            break;
          case 'waiting':
            publish({ ...alive, queue: { ...view.queue, ahead: event.ahead } });
            break;
          case 'started': {
            const { ahead: _leftTheQueue, ...queue } = view.queue;
            publish({ ...alive, state: 'running', queue });
            break;
          }
          case 'cached':
            for (const node of event.nodes) finishNode(node);
            publish({ ...alive, state: 'running' });
            break;
          case 'executing':
            if (view.node && view.node.id !== event.node) finishNode(view.node.id);
            nodeFraction = 0;
            publish({ ...alive, state: 'running', node: { id: event.node, ...(event.classType ? { classType: event.classType } : {}) }, nodePercent: undefined });
            break;
          case 'progress': {
            const sameNode = event.node === undefined || event.node === view.node?.id;
            if (!sameNode && event.node !== undefined) {
              if (view.node) finishNode(view.node.id);
              view = { ...view, node: { id: event.node } };
            }
            nodeFraction = event.max > 0 ? Math.min(event.value, event.max) / event.max : 0;
            publish({ ...alive, state: 'running', nodePercent: event.percent });
            break;
          }
          case 'executed':
            finishNode(event.node);
            publish({ ...alive });
            break;
          case 'preview':
          case 'blocked':
            publish({ ...alive });
            break;
          case 'stalled':
            publish({ stalledMs: event.silentMs });
            break;
          case 'reconnecting':
            publish({ reconnecting: { attempt: event.attempt, delayMs: event.delayMs } });
            break;
          case 'reconnected':
            publish({ reconnecting: undefined, reconnects: view.reconnects + 1 });
            break;
          case 'done':
            finishNode(view.node?.id);
            nodeFraction = 0;
            end({ ...alive, state: 'done', promptId: event.promptId, node: undefined, nodePercent: undefined });
            break;
          default: {
            const exhaustive: never = event;
            return exhaustive;
          }
        }
      };

      publish({});
      if (tickMs > 0) side.push(interval(tickMs, scheduler).subscribe(() => publish({})));
      if (options.queueRemaining$) {
        side.push(options.queueRemaining$.subscribe({ next: (remaining) => publish({ queue: { ...view.queue, remaining } }), error: () => undefined }));
      }
      const main = source.subscribe({
        next: (event) => {
          if (!ended) onEvent(event);
        },
        error: (err: unknown) => {
          if (!ended) end({ ...alive, state: 'failed', error: toError(err), nodePercent: undefined });
        },
        complete: () => {
          if (ended) return;
          ended = true;
          for (const subscription of side) subscription.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        main.unsubscribe();
        for (const subscription of side) subscription.unsubscribe();
      };
    });
}
