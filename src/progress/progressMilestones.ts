import { Observable, type OperatorFunction } from 'rxjs';
import type { ProgressView } from './progressView';

/** Default step (percent of a node) between two milestones of {@link progressMilestones}. */
export const MILESTONE_STEP_PERCENT = 25;

/** True when `view` differs from `previous` in a way worth a log line. */
function isMilestone(previous: ProgressView | undefined, view: ProgressView, stepPercent: number): boolean {
  if (!previous) return true;
  if (view.state !== previous.state) return true;
  if (view.node?.id !== previous.node?.id) return true;
  if (view.queue.ahead !== previous.queue.ahead) return true;
  if (view.stalledMs !== undefined && view.stalledMs !== previous.stalledMs) return true;
  if (view.reconnecting !== undefined && (view.reconnecting.attempt !== previous.reconnecting?.attempt)) return true;
  if (view.reconnects !== previous.reconnects) return true;
  const step = (percent: number | undefined): number => Math.floor((percent ?? 0) / stepPercent);
  return view.nodePercent !== undefined && step(view.nodePercent) > step(previous.nodePercent);
}

/**
 * Keeps only the {@link ProgressView}s worth a log line: the first one, a change of state, of node or
 * of queue position, every `stepPercent` of the running node, each stall warning, each reconnect
 * notice, and the end. Elapsed-time ticks and small progress steps are dropped, so a plain log
 * (CI, pipes) gets one line per meaningful change instead of one per message.
 * ```text
 * source: a b c d e|     a = submitting, b = running node 3 10%, c = node 3 20%, d = node 3 30%, e = done
 * result: a b - d e|     c stays in the 0-25% step of b; d crosses 25%
 * ```
 * @param stepPercent Node progress between two milestones, in percent (0 < step <= 100). Default 25.
 * @example comfy.run(wf).pipe(progressView({ workflow: wf }), progressMilestones()).subscribe((v) => console.log(formatProgressLine(v)));
 */
export function progressMilestones(stepPercent: number = MILESTONE_STEP_PERCENT): OperatorFunction<ProgressView, ProgressView> {
  if (!(stepPercent > 0 && stepPercent <= 100)) throw new RangeError(`stepPercent must be in (0, 100] (got ${stepPercent})`);
  return (source) =>
    new Observable<ProgressView>((subscriber) => {
      let previous: ProgressView | undefined;
      return source.subscribe({
        next: (view) => {
          const keep = isMilestone(previous, view, stepPercent);
          previous = view;
          if (keep) subscriber.next(view);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
