import type { PromptEvent } from '../prompt/events';
import { nextProgress } from './nextProgress';
import { type ProgressInput, type ProgressTrack, startProgress } from './progressTrack';

const workflow = { '1': {}, '2': {}, '3': {}, '4': {} };
const at = (elapsedMs: number, event: PromptEvent): ProgressInput => ({ type: 'event', event, elapsedMs });
const fold = (inputs: readonly ProgressInput[], start: ProgressTrack = startProgress({ workflow })): ProgressTrack => inputs.reduce(nextProgress, start);

describe('nextProgress (pure)', () => {
  it('starts submitting at 0% of the workflow, then counts cached and finished nodes plus the running fraction', () => {
    expect(startProgress({ workflow }).view).toEqual({ state: 'submitting', nodesDone: 0, nodesTotal: 4, percent: 0, queue: {}, elapsedMs: 0, reconnects: 0 });
    const track = fold([
      at(5, { type: 'queued', promptId: 'p1', number: 1, nodeErrors: {} }),
      at(6, { type: 'started', promptId: 'p1' }),
      at(7, { type: 'cached', nodes: ['1', '2'] }),
      at(8, { type: 'executing', node: '3', classType: 'KSampler' }),
      at(9, { type: 'progress', node: '3', value: 3, max: 4, percent: 75 }),
    ]);
    expect(track.view).toEqual({ state: 'running', promptId: 'p1', node: { id: '3', classType: 'KSampler' }, nodePercent: 75, nodesDone: 2, nodesTotal: 4, percent: 68.8, queue: {}, elapsedMs: 9, reconnects: 0 });
    expect(track.end).toBeUndefined();
  });

  it('counts only the workflow\'s nodes, and a node once', () => {
    const track = fold([at(1, { type: 'cached', nodes: ['1', 'elsewhere'] }), at(2, { type: 'executed', node: '1', output: null }), at(3, { type: 'executed', node: '2', output: null })]);
    expect([track.view.nodesDone, track.view.percent]).toEqual([2, 50]);
  });

  it('a new node by progress alone finishes the previous one', () => {
    const track = fold([at(1, { type: 'executing', node: '1' }), at(2, { type: 'progress', node: '2', value: 1, max: 2, percent: 50 })]);
    expect(track.view).toMatchObject({ node: { id: '2' }, nodesDone: 1, nodePercent: 50, percent: 37.5 });
  });

  it('a stall and a reconnect show until the next sign of life; reconnects are counted', () => {
    const stalled = fold([at(1, { type: 'executing', node: '3' }), at(30_001, { type: 'stalled', silentMs: 30_000 }), at(30_002, { type: 'reconnecting', attempt: 1, delayMs: 250 })]);
    expect(stalled.view).toMatchObject({ stalledMs: 30_000, reconnecting: { attempt: 1, delayMs: 250 } });
    const back = fold([at(30_300, { type: 'reconnected' }), at(30_400, { type: 'progress', node: '3', value: 1, max: 4, percent: 25 })], stalled);
    expect(back.view).not.toHaveProperty('stalledMs');
    expect(back.view).not.toHaveProperty('reconnecting');
    expect(back.view.reconnects).toBe(1);
  });

  it('ticks and queue lengths move the clock and the queue only', () => {
    const track = fold([at(1, { type: 'waiting', ahead: 2 }), { type: 'queue', remaining: 5, elapsedMs: 2 }, { type: 'tick', elapsedMs: 1000 }]);
    expect(track.view).toMatchObject({ state: 'submitting', queue: { ahead: 2, remaining: 5 }, elapsedMs: 1000 });
    expect(fold([at(3, { type: 'started', promptId: 'p1' })], track).view.queue).toEqual({ remaining: 5 });
  });

  it('done is final at 100%; nothing moves an ended track', () => {
    const done = fold([at(1, { type: 'executing', node: '4' }), at(2, { type: 'done', promptId: 'p1', outputs: {}, elapsedMs: 2 })]);
    expect(done.end).toBe('final');
    expect(done.view).toEqual({ state: 'done', promptId: 'p1', nodesDone: 1, nodesTotal: 4, percent: 100, queue: {}, elapsedMs: 2, reconnects: 0 });
    expect(fold([{ type: 'tick', elapsedMs: 3000 }, at(4, { type: 'executing', node: '1' }), { type: 'end' }], done)).toBe(done);
  });

  it('an error is a final failed view carrying it; an end without done closes the track, its view unchanged', () => {
    const running = fold([at(1, { type: 'executing', node: '3' }), at(2, { type: 'progress', node: '3', value: 1, max: 2, percent: 50 })]);
    const error = new Error('socket gone');
    const failed = nextProgress(running, { type: 'error', error, elapsedMs: 3 });
    expect(failed.end).toBe('final');
    expect(failed.view).toMatchObject({ state: 'failed', error, node: { id: '3' }, percent: 12.5, elapsedMs: 3 });
    expect(failed.view).not.toHaveProperty('nodePercent');
    const closed = nextProgress(running, { type: 'end' });
    expect([closed.end, closed.view]).toEqual(['closed', running.view]);
  });

  it('never changes the track it is given', () => {
    const start = startProgress({ workflow });
    const before = structuredClone({ view: start.view, finished: [...start.finished] });
    fold([at(1, { type: 'cached', nodes: ['1'] }), at(2, { type: 'executing', node: '2' })], start);
    expect({ view: start.view, finished: [...start.finished] }).toEqual(before);
  });

  it('without a node count there is no percent, until done neither', () => {
    const track = fold([at(1, { type: 'executing', node: '9' }), at(2, { type: 'progress', node: '9', value: 1, max: 2, percent: 50 })], startProgress());
    expect(track.view).not.toHaveProperty('percent');
    expect(fold([at(3, { type: 'done', promptId: 'p', outputs: {}, elapsedMs: 3 })], track).view).not.toHaveProperty('percent');
    expect(() => startProgress({ totalNodes: 0 })).toThrow(RangeError);
  });
});
