import { NEVER, defer, of, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyInterruptedError,
  ComfyInvalidPromptError,
  ComfyPromptLostError,
  ComfyPromptRejectedError,
  ComfyTimeoutError,
  ComfyValidationError,
} from '../src/errors';
import type { PromptEvent } from '../src/prompt/events';
import type { ComfyMessage } from '../src/protocol/messages';
import { PromptRouter } from '../src/prompt/promptRouter';
import { runPrompt } from '../src/prompt/runPrompt';
import { erroredEntry, historyEntry, msg, queueWith } from './helpers/messages';
import { accepted, fakeDeps, open, workflow } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

const queued: PromptEvent = { type: 'queued', promptId: 'p1', number: 7, nodeErrors: {} };
const started: PromptEvent = { type: 'started', promptId: 'p1' };
const done = (elapsedMs: number, filename = 'ComfyUI_00001_.png'): PromptEvent => ({
  type: 'done',
  promptId: 'p1',
  outputs: historyEntry('p1', filename).outputs,
  elapsedMs,
});
const m = {
  s: msg.start('p1'),
  c: msg.cached('p1', ['1']),
  x: msg.executing('p1', '9'),
  p: msg.progress('p1', '9', 5, 10),
  e: msg.executed('p1', '9', 'ComfyUI_00001_.png'),
  k: msg.success('p1'),
  n: msg.executing('p1', null),
  f: msg.error('p1'),
  b: msg.error('p1', '2', 'ExecutionBlocked'),
  i: msg.interrupted('p1'),
  o: msg.start('other'),
  X: msg.executing('other', '9'),
  P: msg.progress('other', '9', 1, 2),
  N: msg.executing('other', null),
};
const ev = {
  q: queued,
  t: started,
  c: { type: 'cached', nodes: ['1'] } as PromptEvent,
  x: { type: 'executing', node: '9', classType: 'SaveImage' } as PromptEvent,
  p: { type: 'progress', node: '9', value: 5, max: 10, percent: 50 } as PromptEvent,
  e: { type: 'executed', node: '9', output: { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] } } as PromptEvent,
};

describe('runPrompt', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  describe('completion', () => {
    it('queued, live events, then done with the outputs read from /history, and completes', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('--(r|)', { r: accepted }),
          inbox$: hot('---s-x-p-e-n', m),
          history: () => cold('-(h|)', { h: historyEntry('p1') }),
        });
        expectObservable(runPrompt(deps, workflow)).toBe('--qt-x-p-e--(d|)', { ...ev, d: done(12) });
      });
    });

    it('posts only once the socket is open, after attaching, with our client id and prompt id', () => {
      const { deps, calls } = fakeDeps(ts);
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        const connection = cold('----o', { o: open() });
        const post = cold('-(r|)', { r: accepted });
        deps.connection$ = connection;
        deps.http.queuePrompt = (body) => {
          calls.posted.push({ body, attachedBefore: [...calls.attached] });
          return post;
        };
        expectObservable(runPrompt(deps, workflow), '--------!').toBe('-----q', ev);
        expectSubscriptions(post.subscriptions).toBe('----^(!)');
      });
      expect(calls.posted).toEqual([
        { body: { prompt: workflow, client_id: 'c1', prompt_id: 'p1' }, attachedBefore: ['p1'] },
      ]);
    });

    it('holds events that arrive before the POST answer and emits them after `queued`', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('-----(r|)', { r: accepted }),
          inbox$: hot('-s-x------e-n', m),
          history: () => cold('(h|)', { h: historyEntry('p1') }),
        });
        expectObservable(runPrompt(deps, workflow)).toBe('-----(qtx)e-(d|)', { ...ev, d: done(12) });
      });
    });

    it('a fully cached run (execution_success before executing null) completes with the history outputs', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-s-c-e-k-n', m),
          history: () => cold('(h|)', { h: historyEntry('p1') }),
        });
        // success at 7 is not final: the history is written before `executing null` at 9
        expectObservable(runPrompt(deps, workflow)).toBe('qt-c-e---(d|)', { ...ev, d: done(9) });
      });
    });

    it('without the final marker, reads /history 100 ms after execution_success, re-reading while it is empty', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        let reads = 0;
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-k', m),
          history: () => (reads++ < 2 ? cold('(u|)', { u: undefined }) : cold('(h|)', { h: historyEntry('p1') })),
        });
        // success at 1, no `executing null`: read at 101 (empty), re-read after 25 ms (empty), after 50 more: found at 176
        expectObservable(runPrompt(deps, workflow)).toBe('q 175ms (d|)', { ...ev, d: done(176) });
      });
    });

    it('ignores messages of other prompts on the same socket (the router keeps them out)', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const router = new PromptRouter();
        // another prompt runs start to end (its end marker included) while ours runs
        hot('-o-X-s-P-N-n', m).subscribe((message) => router.dispatch(message));
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          history: () => cold('(h|)', { h: historyEntry('p1') }),
        });
        deps.attach = (promptId) => router.attach(promptId);
        expectObservable(runPrompt(deps, workflow)).toBe('q----t-----(d|)', { ...ev, d: done(11) });
      });
    });
  });

  describe('error mapping', () => {
    it('execution_error -> ComfyExecutionError with node id, type, message and traceback', () => {
      let failure: unknown;
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, { connection$: cold('o', { o: open() }), queuePrompt$: cold('(r|)', { r: accepted }), inbox$: hot('-s-f-n', m) });
        const run$ = runPrompt(deps, workflow).pipe(tap({ error: (e: unknown) => (failure = e) }));
        expectObservable(run$).toBe('qt-#', ev, new Error('Node 2 (FailAlways) failed: RuntimeError: boom'));
      });
      expect(failure).toBeInstanceOf(ComfyExecutionError);
      expect(failure).toMatchObject({ promptId: 'p1', nodeId: '2', nodeType: 'FailAlways', exceptionMessage: 'boom\n', traceback: ['  File "x.py", line 1\n'] });
    });

    it('ExecutionBlocked is not fatal: `blocked`, and the run goes on', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-s-b-n', m),
          history: () => cold('(h|)', { h: historyEntry('p1') }),
        });
        expectObservable(runPrompt(deps, workflow)).toBe('qt-B-(d|)', { ...ev, B: { type: 'blocked', node: '2', message: 'boom\n' }, d: done(5) });
      });
    });

    it('execution_interrupted -> ComfyInterruptedError', () => {
      let failure: unknown;
      ts.run(({ cold, hot }) => {
        const { deps } = fakeDeps(ts, { connection$: cold('o', { o: open() }), queuePrompt$: cold('(r|)', { r: accepted }), inbox$: hot('-s-i', m) });
        runPrompt(deps, workflow).subscribe({ error: (e: unknown) => (failure = e) });
      });
      expect(failure).toBeInstanceOf(ComfyInterruptedError);
      expect(failure).toMatchObject({ promptId: 'p1', nodeId: '2', nodeType: 'SlowProgress' });
    });

    it('an end marker whose history entry records an error -> ComfyExecutionError (the error message was missed)', () => {
      let failure: unknown;
      ts.run(({ cold, hot }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-n', m),
          history: () => cold('(h|)', { h: erroredEntry('p1') }),
        });
        runPrompt(deps, workflow).subscribe({ error: (e: unknown) => (failure = e) });
      });
      expect(failure).toBeInstanceOf(ComfyExecutionError);
    });

    it('a 400 from /prompt surfaces as the ComfyPromptRejectedError the transport raised', () => {
      const rejection = new ComfyPromptRejectedError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', { '1': { errors: [{ type: 'x', message: 'y' }] } });
      ts.run(({ cold, expectObservable }) => {
        const { deps } = fakeDeps(ts, { connection$: cold('o', { o: open() }), queuePrompt$: cold('--#', undefined, rejection) });
        expectObservable(runPrompt(deps, workflow)).toBe('--#', undefined, rejection);
      });
    });

    it('an invalid workflow fails with ComfyInvalidPromptError (a ComfyValidationError) before anything is sent', () => {
      let failure: unknown;
      const { deps, calls } = fakeDeps(ts, { connection$: NEVER });
      runPrompt(deps, { '1': { inputs: {} } }).subscribe({ error: (e: unknown) => (failure = e) });
      expect(failure).toBeInstanceOf(ComfyInvalidPromptError);
      expect(failure).toBeInstanceOf(ComfyValidationError);
      expect((failure as ComfyValidationError).errorType).toBe('invalid_workflow');
      expect((failure as Error).message).toMatch(/1\.class_type/);
      expect(calls.posted).toHaveLength(0);
      expect(calls.attached).toHaveLength(0);
    });

    it('a socket that gives up fails the prompt with its ComfyConnectionError', () => {
      const gaveUp = new ComfyConnectionError('gave up', 'ws://127.0.0.1:8188/ws');
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, { connection$: cold('o---#', { o: open() }, gaveUp), queuePrompt$: cold('(r|)', { r: accepted }), inbox$: hot('-s') });
        expectObservable(runPrompt(deps, workflow)).toBe('q---#', ev, gaveUp);
      });
    });
  });

  describe('stalls, reconnects and reconciliation', () => {
    it('silence while running: `stalled` every interval and a reconciliation each time; done when history has it', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        let polls = 0;
        const { deps } = fakeDeps(ts, {
          stallWarnAfterMs: 10,
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-s-x', m),
          queue$: defer(() => of(++polls < 2 ? queueWith(['p1']) : queueWith([]))),
          history: () => cold('(h|)', { h: historyEntry('p1') }),
        });
        // x at 3, then silence: at 13 still running (stalled, keep waiting); at 23 finished (completion messages lost)
        expectObservable(runPrompt(deps, workflow)).toBe('qt-x 9ms S 9ms (Td|)', {
          ...ev,
          S: { type: 'stalled', silentMs: 10 },
          T: { type: 'stalled', silentMs: 20 },
          d: done(23),
        });
      });
    });

    it('waiting in the queue is not a stall: it reports how many prompts are ahead', () => {
      ts.run(({ cold, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          stallWarnAfterMs: 10,
          connection$: cold('o', { o: open() }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: NEVER,
          queue$: of(queueWith(['other'], [[9, 'later'], [7, 'p1'], [3, 'first']])),
        });
        expectObservable(runPrompt(deps, workflow), '25ms !').toBe('q 9ms w 9ms w', { ...ev, w: { type: 'waiting', ahead: 2 } });
      });
    });

    it('after a reconnect, a prompt that finished while we were away ends with its outputs', () => {
      ts.run(({ cold, hot, expectObservable }) => {
        const { deps } = fakeDeps(ts, {
          connection$: cold('o--r-O', { o: open(1), r: { kind: 'reconnecting', attempt: 1, delayMs: 2, error: new Error('drop') }, O: open(2) }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-s', m),
          queue$: of(queueWith([])),
          history: () => cold('-(h|)', { h: historyEntry('p1') }),
        });
        expectObservable(runPrompt(deps, workflow)).toBe('qt-R-C(d|)', {
          ...ev,
          R: { type: 'reconnecting', attempt: 1, delayMs: 2 },
          C: { type: 'reconnected' },
          d: done(6),
        });
      });
    });

    it('a prompt the server no longer knows (restart) fails with ComfyPromptLostError after one confirming re-check', () => {
      let failure: unknown;
      ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
        const queue$ = cold('(q|)', { q: queueWith([]) });
        const { deps } = fakeDeps(ts, {
          recheckDelayMs: 5,
          connection$: cold('o---O', { o: open(1), O: open(2) }),
          queuePrompt$: cold('(r|)', { r: accepted }),
          inbox$: hot('-s'),
          queue$,
          history: () => cold('(u|)', { u: undefined }),
        });
        const run$ = runPrompt(deps, workflow).pipe(tap({ error: (e: unknown) => (failure = e) }));
        expectObservable(run$).toBe('q---C 4ms #', { ...ev, C: { type: 'reconnected' } }, new ComfyPromptLostError('p1'));
        // the reconnect check at 4, the confirming re-check 5 ms later
        expectSubscriptions(queue$.subscriptions).toBe(['----(^!)', '---------(^!)']);
      });
      expect(failure).toBeInstanceOf(ComfyPromptLostError);
    });
  });

  describe('cancellation and timeout', () => {
    it('unsubscribing while queued deletes the prompt and sends a targeted interrupt (ours only)', () => {
      const { deps, calls } = fakeDeps(ts);
      ts.run(({ cold, hot, expectObservable }) => {
        deps.connection$ = cold('o', { o: open() });
        const inbox = hot<ComfyMessage>('------');
        deps.attach = () => inbox;
        expectObservable(runPrompt(deps, workflow), '---!').toBe('q', ev);
      });
      expect(calls.deleted).toEqual([['p1']]);
      expect(calls.interrupted).toEqual(['p1']);
    });

    it('unsubscribing while the POST is in flight cancels once the server has answered', () => {
      const { deps, calls } = fakeDeps(ts);
      ts.run(({ cold, expectObservable, expectSubscriptions }) => {
        deps.connection$ = cold('o', { o: open() });
        const post = cold('-----(r|)', { r: accepted });
        deps.http.queuePrompt = () => post;
        expectObservable(runPrompt(deps, workflow), '--!').toBe('');
        expectSubscriptions(post.subscriptions).toBe('^----(!)'); // the POST is not aborted
      });
      expect(calls.deleted).toEqual([['p1']]);
      expect(calls.interrupted).toEqual(['p1']);
    });

    it('does not cancel anything after the prompt ended', () => {
      const { deps, calls } = fakeDeps(ts);
      ts.run(({ cold, hot, expectObservable }) => {
        deps.connection$ = cold('o', { o: open() });
        const inbox = hot('-s-f', m);
        deps.attach = () => inbox;
        expectObservable(runPrompt(deps, workflow)).toBe('qt-#', ev, new Error('Node 2 (FailAlways) failed: RuntimeError: boom'));
      });
      expect(calls.deleted).toEqual([]);
      expect(calls.interrupted).toEqual([]);
    });

    it('timeoutMs fails with ComfyTimeoutError and cancels the prompt on the server', () => {
      let failure: unknown;
      const { deps, calls } = fakeDeps(ts);
      ts.run(({ cold, hot, expectObservable }) => {
        deps.connection$ = cold('o', { o: open() });
        const inbox = hot('-s-x', m);
        deps.attach = () => inbox;
        const run$ = runPrompt(deps, workflow, { timeoutMs: 8 }).pipe(tap({ error: (e: unknown) => (failure = e) }));
        expectObservable(run$).toBe('qt-x----#', ev, new ComfyTimeoutError('p1', 8));
      });
      expect(failure).toBeInstanceOf(ComfyTimeoutError);
      expect(calls.posted).toHaveLength(1);
      expect(calls.interrupted).toEqual(['p1']);
      expect(calls.deleted).toEqual([['p1']]);
    });
  });
});
