import pino from 'pino';
import { type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { PromptResponse } from '../src/protocol/api';
import { promptRequest } from '../src/prompt/promptRequest';
import { promptSubmission } from '../src/prompt/submission';
import { accepted, workflow } from './helpers/promptDeps';
import { newTestScheduler } from './helpers/testScheduler';

const body = promptRequest(workflow, 'c1', 'p1');
const log = () => pino({ level: 'silent' });

/** The REST fakes of a submission: `post` answers the POST; cancels are recorded with their frame. */
function fakeHttp(ts: TestScheduler, post: Observable<PromptResponse>) {
  const calls: string[] = [];
  const http = {
    queuePrompt: () => {
      calls.push(`post@${ts.now()}`);
      return post;
    },
    deleteFromQueue: (ids: readonly string[]) => {
      calls.push(`delete ${ids.join(',')}@${ts.now()}`);
      return of(undefined);
    },
    interrupt: (id?: string) => {
      calls.push(`interrupt ${String(id)}@${ts.now()}`);
      return of(undefined);
    },
  };
  return { http, calls };
}

describe('promptSubmission', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('posts once, however often post() is called, and replays the answer', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const post = cold('--(r|)', { r: accepted });
      const { http, calls } = fakeHttp(ts, post);
      const submission = promptSubmission(http, body, log);
      expectObservable(submission.post()).toBe('--(r|)', { r: accepted });
      expectObservable(submission.post()).toBe('--(r|)', { r: accepted });
      expectSubscriptions(post.subscriptions).toBe('^-!');
      ts.schedule(() => expect(calls).toEqual(['post@0']), 5);
    });
  });

  it('unsubscribing from the answer does not abort the POST', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const post = cold('----(r|)', { r: accepted });
      const { http } = fakeHttp(ts, post);
      expectObservable(promptSubmission(http, body, log).post(), '-!').toBe('');
      expectSubscriptions(post.subscriptions).toBe('^---!');
    });
  });

  it('cancel() after the answer: deletes from the queue, then interrupts this prompt only', () => {
    const { http, calls } = fakeHttp(ts, of(accepted));
    const submission = promptSubmission(http, body, log);
    submission.post().subscribe();
    submission.cancel();
    expect(calls).toEqual(['post@0', 'delete p1@0', 'interrupt p1@0']);
  });

  it('cancel() while the POST is in flight waits for its answer', () => {
    let calls: string[] = [];
    ts.run(({ cold }) => {
      const fake = fakeHttp(ts, cold('---(r|)', { r: accepted }));
      calls = fake.calls;
      const submission = promptSubmission(fake.http, body, log);
      submission.post().subscribe().unsubscribe();
      submission.cancel();
    });
    expect(calls).toEqual(['post@0', 'delete p1@3', 'interrupt p1@3']);
  });

  it('cancel() does nothing when never posted, or when the POST was refused', () => {
    const never = fakeHttp(ts, of(accepted));
    promptSubmission(never.http, body, log).cancel();
    expect(never.calls).toEqual([]);
    let calls: string[] = [];
    ts.run(({ cold }) => {
      const refused = fakeHttp(ts, cold('-#', undefined, new Error('400')));
      calls = refused.calls;
      const submission = promptSubmission(refused.http, body, log);
      submission.post().subscribe({ error: () => undefined });
      submission.cancel();
    });
    expect(calls).toEqual(['post@0']);
  });
});
