import pino from 'pino';
import { type Observable, defer } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ComfyConnectionError, ComfyHttpError, ComfyPromptRejectedError, ComfyRetriesExhaustedError } from '../src/errors';
import type { PromptResponse } from '../src/protocol/api';
import { submitExactlyOnce } from '../src/prompt/submitExactlyOnce';
import { accepted } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

const log = () => pino({ level: 'silent' });
const lost = new ComfyConnectionError('POST http://h/prompt failed: socket hang up', 'http://h/prompt');
const found: PromptResponse = { prompt_id: 'p1', number: 3, node_errors: {} };
/** Re-posts after 3, 6, 12... frames (no jitter). */
const policy = { initialDelayMs: 3, maxDelayMs: 100, maxAttempts: 2, jitter: 0, budgetMs: 1_000 };
const unknown = { u: undefined };

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
  const options = (f: ReturnType<typeof fakes>, overrides: Partial<typeof policy> = {}) => ({ locate: f.locate, policy: { ...policy, ...overrides }, scheduler: ts, log });

  it('a POST answered passes through: no lookup', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('--(a|)', { a: accepted })], []);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('--(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0']), 20);
    });
  });

  it('the answer is lost but the server has the prompt: its place stands for the answer, no second POST', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost)], [cold('-(f|)', { f: found })]);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('--(f|)', { f: found });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1']), 20);
    });
  });

  it('the server does not have it (a 502 before it): posted again, once, after the backoff', () => {
    ts.run(({ cold, expectObservable }) => {
      const bad = new ComfyHttpError(502, 'POST', 'http://h/prompt', 'Bad Gateway');
      const f = fakes(ts, [cold('-#', undefined, bad), cold('-(a|)', { a: accepted })], [cold('---(u|)', unknown)]);
      // lost at 1, not found at 4, re-posted at 4 + 3 (initialDelayMs), answered at 8
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('--------(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@7']), 20);
    });
  });

  it('each re-post waits the doubled backoff, and each is preceded by a lookup', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost), cold('-#', undefined, lost), cold('-(a|)', { a: accepted })], [cold('(u|)', unknown), cold('(u|)', unknown)]);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('------------(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@4', 'locate@5', 'post@11']), 20);
    });
  });

  it("a 429's Retry-After is waited before the lookup", () => {
    ts.run(({ cold, expectObservable }) => {
      const busy = new ComfyHttpError(429, 'POST', 'http://h/prompt', 'Too Many Requests', 5);
      const f = fakes(ts, [cold('-#', undefined, busy), cold('-(a|)', { a: accepted })], [cold('(u|)', unknown)]);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('----------(a|)', { a: accepted });
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@6', 'post@9']), 20);
    });
  });

  it('a 400 is never retried nor looked for', () => {
    ts.run(({ cold, expectObservable }) => {
      const rejected = new ComfyPromptRejectedError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', {}, '');
      const f = fakes(ts, [cold('-#', undefined, rejected)], []);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('-#', undefined, rejected);
      ts.schedule(() => expect(f.calls).toEqual(['post@0']), 20);
    });
  });

  it('a lookup that cannot be read ends it with that error: nothing is posted blindly', () => {
    ts.run(({ cold, expectObservable }) => {
      const unreadable = new ComfyHttpError(500, 'GET', 'http://h/queue', '');
      const f = fakes(ts, [cold('-#', undefined, lost)], [cold('-#', undefined, unreadable)]);
      expectObservable(submitExactlyOnce(f.post, options(f))).toBe('--#', undefined, unreadable);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1']), 20);
    });
  });

  it('never more than maxAttempts re-posts: then ComfyRetriesExhaustedError, the last loss as its cause', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost), cold('-#', undefined, lost)], [cold('(u|)', unknown), cold('(u|)', unknown)]);
      const exhausted = expect.objectContaining({
        constructor: ComfyRetriesExhaustedError,
        cause: lost,
        retries: 1,
        stop: 'attempts',
        message: 'POST http://h/prompt still failing after 1 retry in 5 ms: POST http://h/prompt failed: socket hang up',
      });
      expectObservable(submitExactlyOnce(f.post, options(f, { maxAttempts: 1 }))).toBe('-----#', undefined, exhausted);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@4', 'locate@5']), 20);
    });
  });

  it('no re-post starts past budgetMs: ComfyRetriesExhaustedError, stop "budget"', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost), cold('-#', undefined, lost)], [cold('(u|)', unknown), cold('(u|)', unknown)]);
      // the 2nd re-post would start at 5 + 6 > budgetMs 10
      const exhausted = expect.objectContaining({ constructor: ComfyRetriesExhaustedError, cause: lost, retries: 1, stop: 'budget' });
      expectObservable(submitExactlyOnce(f.post, options(f, { maxAttempts: 5, budgetMs: 10 }))).toBe('-----#', undefined, exhausted);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1', 'post@4', 'locate@5']), 20);
    });
  });

  it('maxAttempts 0: a loss the server does not know fails with the loss itself, posted once', () => {
    ts.run(({ cold, expectObservable }) => {
      const f = fakes(ts, [cold('-#', undefined, lost)], [cold('(u|)', unknown)]);
      expectObservable(submitExactlyOnce(f.post, options(f, { maxAttempts: 0 }))).toBe('-#', undefined, lost);
      ts.schedule(() => expect(f.calls).toEqual(['post@0', 'locate@1']), 20);
    });
  });
});
