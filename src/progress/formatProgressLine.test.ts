import { ComfyExecutionError } from '../errors';
import { formatDuration } from './formatDuration';
import { formatProgressLine } from './formatProgressLine';
import type { ProgressView } from './progressView';

const base: ProgressView = { state: 'running', nodesDone: 2, nodesTotal: 4, percent: 68.8, queue: {}, elapsedMs: 2_100, reconnects: 0 };

describe('formatProgressLine', () => {
  it('names the node, its percent, the prompt percent and the elapsed time while running', () => {
    expect(formatProgressLine({ ...base, node: { id: '3', classType: 'KSampler' }, nodePercent: 75 }, '[1/4]')).toBe(
      '[1/4] running node 3 KSampler 75% | prompt 68% | 2.1s',
    );
  });

  it('shows the queue position while queued', () => {
    expect(formatProgressLine({ ...base, state: 'queued', percent: 0, queue: { ahead: 2, remaining: 5 } })).toBe('queued (2 ahead, queue 5) | 2.1s');
  });

  it('warns of a stall and of a reconnect', () => {
    const line = formatProgressLine({ ...base, stalledMs: 30_000, reconnecting: { attempt: 2, delayMs: 500 } });
    expect(line).toContain('no message for 30.0s');
    expect(line).toContain('reconnecting (attempt 2 in 500 ms)');
  });

  it('ends with done and its time, or failed and the error message', () => {
    expect(formatProgressLine({ ...base, state: 'done', percent: 100, elapsedMs: 65_000, reconnects: 1 })).toBe('done in 1m05s (1 reconnect)');
    const error = new ComfyExecutionError('p', '2', 'FailAlways', 'boom', 'RuntimeError', []);
    expect(formatProgressLine({ ...base, state: 'failed', error }, '[2/2]')).toBe('[2/2] failed after 2.1s: Node 2 (FailAlways) failed: RuntimeError: boom');
  });
});

describe('formatDuration', () => {
  it('uses seconds with one decimal below a minute, then minutes and seconds', () => {
    expect(formatDuration(400)).toBe('0.4s');
    expect(formatDuration(59_949)).toBe('59.9s');
    expect(formatDuration(125_000)).toBe('2m05s');
  });
});
