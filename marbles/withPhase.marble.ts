import { TestScheduler } from 'rxjs/testing';
import type { CheckFinding } from '../src/prompt/checks';
import { withPhase } from '../src/prompt/promptPhase';
import type { PromptSignal } from '../src/prompt/signals';
import { newTestScheduler } from './helpers/testScheduler';

const inputs: Record<string, PromptSignal | CheckFinding> = {
  q: { type: 'queued', promptId: 'p1', number: 1, nodeErrors: {} },
  x: { type: 'executing', node: '9' },
  S: { type: 'check', check: { reason: 'stall', silentMs: 10 } },
  R: { type: 'check', check: { reason: 'reconnect' } },
  V: { type: 'verdict', verdict: { kind: 'running' } },
  W: { type: 'verdict', verdict: { kind: 'pending', ahead: 1 } },
};
const out: Record<string, PromptSignal> = {
  q: inputs.q as PromptSignal,
  x: inputs.x as PromptSignal,
  s: { type: 'stalled', silentMs: 10 },
  r: { type: 'reconnected' },
  t: { type: 'started', promptId: 'p1' },
  w: { type: 'waiting', ahead: 1 },
};

describe('withPhase', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('running once executing: a stall is announced, a running verdict adds nothing', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('q-x-S-V-|', inputs);
      expectObservable(source.pipe(withPhase('p1'))).toBe('q-x-s---|', out);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('pending: a stall is silent, a running verdict starts the prompt, and the next stall is announced', () => {
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('q-S-W-R-V-S', inputs).pipe(withPhase('p1'))).toBe('q---w-r-t-s', out);
    });
  });

  it('each subscription starts pending (no phase shared between runs)', () => {
    ts.run(({ cold, expectObservable }) => {
      const operator = withPhase('p1');
      expectObservable(cold('x-S', inputs).pipe(operator)).toBe('x-s', out);
      expectObservable(cold('--S', inputs).pipe(operator)).toBe('---', out);
    });
  });
});
