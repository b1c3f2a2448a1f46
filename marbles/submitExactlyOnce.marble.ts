import pino from 'pino';
import { type Observable, defer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyConnectionError, ComfyHttpError, ComfyRetriesExhaustedError, ComfyValidationError } from '../src/errors';
import type { PromptResponse } from '../src/protocol/api';
import { submitExactlyOnce } from '../src/prompt/submitExactlyOnce';
import { accepted } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

const log = () => pino({ level: 'silent' });
const lost = new ComfyConnectionError('POST http://h/prompt failed: socket hang up', 'http://h/prompt');
const found: PromptResponse = { prompt_id: 'p1', number: 3, node_errors: {} };

/** Counts POSTs and lookups; each POST answers with the next of `answers`. */
function fakes(ts: TestScheduler, answers: Observable<PromptResponse>[], lookups: Observable<PromptResponse | undefined>[]) {
  const calls: string[] = [];
  let post = 0;
  let lookup = 0;
  return {
    calls,
    post: () => defer(() => (calls.push(`post@${ts.now()}`), answers[post++]!)),
    locate: () => defer(() => (calls.push(`locate@${ts.now()}`), lookups[lookup++]!)),
  };
}

describe('submitExactlyOnce', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('a POST answered passes through: no lookup', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('--(a|)', { a: accepted })], []);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('--(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0']), 9);
    });
  });

  it('the answer is lost but the server has the prompt: its place stands for the answer, no second POST', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost)], [cold('-(f|)', { f: found })]);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('--(f|)', { f: found });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1']), 9);
    });
  });

  it('the server does not have it (a 502 before it): posted again, once', () => {
    ts.run(({ cold, expectObservable }) => {
      const bad = new ComfyHttpError(502, 'POST', 'http://h/prompt', 'Bad Gateway');
      const f = fakes(ts, [cold('-#', undefined, bad), cold('-(a|)', { a: accepted })], [cold('---(u|)', { u: undefined })]);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('-----(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@4']), 9);
    });
  });

  it("a 429's Retry-After is waited before the lookup", () => {
    ts.run(({ cold, expectObservable }) => {
      const busy = new ComfyHttpError(429, 'POST', 'http://h/prompt', 'Too Many Requests', 5);
      const f = fakes(ts, [cold('-#', undefined, busy), cold('-(a|)', { a: accepted })], [cold('(u|)', { u: undefined })]);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('-------(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@6', 'post@6']), 9);
    });
  });

  it('a 400 is never retried nor looked for', () => {
    ts.run(({ cold, expectObservable }) => {
      const rejected = new ComfyValidationError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', {}, '');
      const f = fakes(ts, [cold('-#', undefined, rejected)], []);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('-#', undefined, rejected);
      ts.schedule(() => expect(f.calls).toEqual(['post@0']), 9);
    });
  });

  it('a lookup that cannot be read ends it with that error: nothing is posted blindly', () => {
    ts.run(({ cold, expectObservable }) => {
      const unreadable = new ComfyHttpError(500, 'GET', 'http://h/queue', '');
      const f = fakes(ts, [cold('-#', undefined, lost)], [cold('-#', undefined, unreadable)]);
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 3, scheduler: ts, log })).toBe('--#', undefined, unreadable);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1']), 9);
    });
  });

  it('never more than maxPosts POSTs: then ComfyRetriesExhaustedError, the last loss as its cause', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost), cold('-#', undefined, lost)], [cold('(u|)', { u: undefined }), cold('(u|)', { u: undefined })]);
      const exhausted = expect.objectContaining({
        constructor: ComfyRetriesExhaustedError,
        cause: lost,
        retries: 1,
        stop: 'attempts',
        message: 'POST http://h/prompt still failing after 1 retry in 2 ms: POST http://h/prompt failed: socket hang up',
      });
      expectObservable(submitExactlyOnce(f.post, { locate: f.locate, maxPosts: 2, scheduler: ts, log })).toBe('--#', undefined, exhausted);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@1', 'locate@2']), 9);
    });
  });
});
