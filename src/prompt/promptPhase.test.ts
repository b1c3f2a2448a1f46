import { ComfyPromptLostError } from '../errors';
import type { HistoryEntry } from '../protocol/api';
import type { CheckFinding } from './checks';
import { findingSignals, nextPhase } from './promptPhase';
import type { PromptSignal } from './signals';

const entry: HistoryEntry = { prompt: [], outputs: {} };

describe('nextPhase', () => {
  it.each<PromptSignal>([
    { type: 'started', promptId: 'p1' },
    { type: 'executing', node: '1' },
    { type: 'progress', node: '1', value: 1, max: 2, percent: 50 },
    { type: 'cached', nodes: ['1'] },
  ])('a pending prompt runs on $type', (signal) => {
    expect(nextPhase('pending', signal)).toBe('running');
  });

  it.each<PromptSignal>([
    { type: 'queued', promptId: 'p1', number: 1, nodeErrors: {} },
    { type: 'waiting', ahead: 2 },
    { type: 'reconnected' },
    { type: 'preview', mime: 'image/png', data: Buffer.alloc(0) },
  ])('stays pending on $type', (signal) => {
    expect(nextPhase('pending', signal)).toBe('pending');
  });

  it('a running prompt stays running', () => {
    expect(nextPhase('running', { type: 'waiting', ahead: 1 })).toBe('running');
  });
});

describe('findingSignals', () => {
  const stall: CheckFinding = { type: 'check', check: { reason: 'stall', silentMs: 30 } };
  const reconnect: CheckFinding = { type: 'check', check: { reason: 'reconnect' } };
  const verdict = (v: Extract<CheckFinding, { type: 'verdict' }>['verdict']): CheckFinding => ({ type: 'verdict', verdict: v });

  it('a stall is announced only while running (waiting in the queue is not a stall)', () => {
    expect(findingSignals('p1', 'running', stall)).toEqual([{ type: 'stalled', silentMs: 30 }]);
    expect(findingSignals('p1', 'pending', stall)).toEqual([]);
  });

  it('a reconnect is announced in any phase', () => {
    expect(findingSignals('p1', 'pending', reconnect)).toEqual([{ type: 'reconnected' }]);
    expect(findingSignals('p1', 'running', reconnect)).toEqual([{ type: 'reconnected' }]);
  });

  it('pending -> waiting with the prompts ahead; running -> started once', () => {
    expect(findingSignals('p1', 'pending', verdict({ kind: 'pending', ahead: 3 }))).toEqual([{ type: 'waiting', ahead: 3 }]);
    expect(findingSignals('p1', 'pending', verdict({ kind: 'running' }))).toEqual([{ type: 'started', promptId: 'p1' }]);
    expect(findingSignals('p1', 'running', verdict({ kind: 'running' }))).toEqual([]);
  });

  it('finished -> a final successful end carrying the entry; lost -> a final end with ComfyPromptLostError', () => {
    expect(findingSignals('p1', 'running', verdict({ kind: 'finished', entry }))).toEqual([{ type: 'end', outcome: { kind: 'success', entry }, final: true }]);
    const [lost] = findingSignals('p1', 'pending', verdict({ kind: 'lost' }));
    expect(lost).toMatchObject({ type: 'end', final: true, outcome: { kind: 'failed' } });
    expect(lost?.type === 'end' && lost.outcome.kind === 'failed' && lost.outcome.error).toBeInstanceOf(ComfyPromptLostError);
  });
});
