import { formatDuration } from './formatDuration';
import type { ProgressView } from './progressView';

const nodeLabel = (view: ProgressView): string => (view.node ? `node ${view.node.id}${view.node.classType ? ` ${view.node.classType}` : ''}` : '');

const queueLabel = (view: ProgressView): string => {
  const parts: string[] = [];
  if (view.queue.ahead !== undefined) parts.push(`${view.queue.ahead} ahead`);
  if (view.queue.remaining !== undefined) parts.push(`queue ${view.queue.remaining}`);
  return parts.join(', ');
};

/**
 * One plain-text line for a {@link ProgressView} (logs, CI, pipes), e.g.
 * `running node 3 KSampler 50% | prompt 43% | 2.1s` or `failed after 0.4s: Node 2 (FailAlways) failed: ...`.
 * @param view The view to describe.
 * @param label Prefix, e.g. a batch item's label `[2/8]`.
 * @example views$.pipe(progressMilestones()).subscribe((v) => console.log(formatProgressLine(v, '[1/1]')));
 */
export function formatProgressLine(view: ProgressView, label?: string): string {
  const elapsed = formatDuration(view.elapsedMs);
  const head = label ? `${label} ` : '';
  const queue = queueLabel(view);
  let body: string;
  switch (view.state) {
    case 'submitting':
      body = 'submitting';
      break;
    case 'queued':
      body = `queued${queue ? ` (${queue})` : ''}`;
      break;
    case 'running': {
      const node = nodeLabel(view);
      const nodePercent = view.nodePercent !== undefined ? ` ${Math.floor(view.nodePercent)}%` : '';
      const prompt = view.percent !== undefined ? ` | prompt ${Math.floor(view.percent)}%` : '';
      body = `running${node ? ` ${node}` : ''}${nodePercent}${prompt}`;
      break;
    }
    case 'done':
      return `${head}done in ${elapsed}${view.reconnects ? ` (${view.reconnects} reconnect${view.reconnects > 1 ? 's' : ''})` : ''}`;
    case 'failed':
      return `${head}failed after ${elapsed}: ${view.error?.message ?? 'unknown error'}`;
  }
  const notices: string[] = [];
  if (view.stalledMs !== undefined) notices.push(`no message for ${formatDuration(view.stalledMs)}, checking with the server`);
  if (view.reconnecting) notices.push(`connection lost, reconnecting (attempt ${view.reconnecting.attempt} in ${view.reconnecting.delayMs} ms)`);
  return `${head}${body} | ${elapsed}${view.state === 'running' && queue ? ` | ${queue}` : ''}${notices.length ? ` | ${notices.join(' | ')}` : ''}`;
}
