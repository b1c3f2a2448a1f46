import type { PromptEvent } from '../prompt/events';
import type { ProgressInput, ProgressTrack } from './progressTrack';
import type { ProgressView } from './progressView';

const oneDecimal = (value: number): number => Math.round(value * 10) / 10;
/** Drops keys whose value is `undefined`, so views compare and serialise cleanly. */
const withoutUndefined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
/** Any sign of life clears the stall and reconnect notices. */
const ALIVE = { stalledMs: undefined, reconnecting: undefined } as const;

/**
 * The progress reducer: the next {@link ProgressTrack} after one {@link ProgressInput}. Pure (the
 * time comes with the input), so `progressView` is this over `scan`, and a test needs no clock.
 * Percent of the whole prompt: finished nodes (cached or executed) plus the running node's
 * fraction, over the node count; 100 once done. A track that has ended stays as it is.
 * @example
 * let track = startProgress({ totalNodes: 2 });
 * track = nextProgress(track, { type: 'event', event: { type: 'executing', node: '3' }, elapsedMs: 10 });
 * track.view.state; // 'running'
 */
export function nextProgress(track: ProgressTrack, input: ProgressInput): ProgressTrack {
  if (track.end) return track;
  switch (input.type) {
    case 'end':
      return { ...track, end: 'closed' };
    case 'tick':
      return publish(track, {}, input.elapsedMs);
    case 'queue':
      return publish(track, { queue: { ...track.view.queue, remaining: input.remaining } }, input.elapsedMs);
    case 'error':
      return { ...publish(track, { ...ALIVE, state: 'failed', error: input.error, nodePercent: undefined }, input.elapsedMs), end: 'final' };
    case 'event':
      return onEvent(track, input.event, input.elapsedMs);
  }
}

function onEvent(track: ProgressTrack, event: PromptEvent, elapsedMs: number): ProgressTrack {
  const { view } = track;
  switch (event.type) {
    case 'queued':
      return publish(track, { ...ALIVE, state: view.state === 'submitting' ? 'queued' : view.state, promptId: event.promptId }, elapsedMs);
    case 'waiting':
      return publish(track, { ...ALIVE, queue: { ...view.queue, ahead: event.ahead } }, elapsedMs);
    case 'started': {
      const { ahead: _leftTheQueue, ...queue } = view.queue;
      return publish(track, { ...ALIVE, state: 'running', queue }, elapsedMs);
    }
    case 'cached':
      return publish(finish(track, ...event.nodes), { ...ALIVE, state: 'running' }, elapsedMs);
    case 'executing': {
      const left = view.node && view.node.id !== event.node ? finish(track, view.node.id) : track;
      const node = { id: event.node, ...(event.classType ? { classType: event.classType } : {}) };
      return publish({ ...left, nodeFraction: 0 }, { ...ALIVE, state: 'running', node, nodePercent: undefined }, elapsedMs);
    }
    case 'progress': {
      let moved = track;
      if (event.node !== undefined && event.node !== view.node?.id) {
        moved = view.node ? finish(track, view.node.id) : track;
        moved = { ...moved, view: { ...moved.view, node: { id: event.node } } };
      }
      const nodeFraction = event.max > 0 ? Math.min(event.value, event.max) / event.max : 0;
      return publish({ ...moved, nodeFraction }, { ...ALIVE, state: 'running', nodePercent: event.percent }, elapsedMs);
    }
    case 'executed':
      return publish(finish(track, event.node), { ...ALIVE }, elapsedMs);
    case 'preview':
    case 'blocked':
      return publish(track, { ...ALIVE }, elapsedMs);
    case 'stalled':
      return publish(track, { stalledMs: event.silentMs }, elapsedMs);
    case 'reconnecting':
      return publish(track, { reconnecting: { attempt: event.attempt, delayMs: event.delayMs } }, elapsedMs);
    case 'reconnected':
      return publish(track, { reconnecting: undefined, reconnects: view.reconnects + 1 }, elapsedMs);
    case 'done': {
      const ended = { ...finish(track, ...(view.node ? [view.node.id] : [])), nodeFraction: 0 };
      return { ...publish(ended, { ...ALIVE, state: 'done', promptId: event.promptId, node: undefined, nodePercent: undefined }, elapsedMs), end: 'final' };
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

/** The track with `nodes` counted as finished (those of the workflow, when it is known). */
function finish(track: ProgressTrack, ...nodes: readonly string[]): ProgressTrack {
  const counted = nodes.filter((node) => (!track.nodes || track.nodes.has(node)) && !track.finished.has(node));
  return counted.length === 0 ? track : { ...track, finished: new Set([...track.finished, ...counted]) };
}

/** The track with a new view: `patch` over the last one, at `elapsedMs`, its counts and percent recomputed. */
function publish(track: ProgressTrack, patch: Partial<ProgressView>, elapsedMs: number): ProgressTrack {
  const next: ProgressView = { ...track.view, ...patch, elapsedMs };
  const percent = next.state === 'done' ? (track.total ? 100 : undefined) : promptPercent(track, next);
  return { ...track, view: withoutUndefined({ ...next, nodesDone: track.finished.size, percent }) };
}

function promptPercent(track: ProgressTrack, at: ProgressView): number | undefined {
  if (!track.total) return undefined;
  const counts = (node: string): boolean => !track.nodes || track.nodes.has(node);
  const running = at.node && counts(at.node.id) && !track.finished.has(at.node.id) ? track.nodeFraction : 0;
  return Math.min(100, oneDecimal((100 * (track.finished.size + running)) / track.total));
}
