import { PromptRouter } from './promptRouter';
import { READ_MESSAGE_TYPES } from './readMessage';

describe('PromptRouter.wants (which frames the socket must validate for the followers)', () => {
  it('a frame of a followed prompt, of a type its follower reads', () => {
    const router = new PromptRouter();
    const subscription = router.attach('A').subscribe();
    for (const type of READ_MESSAGE_TYPES) expect(router.wants(type, 'A')).toBe(true);
    expect(router.wants('progress_state', 'A')).toBe(false); // no follower reads it
    expect(router.wants('executing', 'B')).toBe(false); // nobody follows B
    subscription.unsubscribe();
    expect(router.wants('executing', 'A')).toBe(false); // A is no longer followed
  });

  it('a frame without a prompt id only while one of ours runs, and only the progress and executing hint that belong to it', () => {
    const router = new PromptRouter();
    const subscription = router.attach('A').subscribe();
    expect(router.wants('progress', undefined)).toBe(false);
    router.dispatch({ type: 'execution_start', data: { prompt_id: 'A', timestamp: 1 } });
    expect(router.wants('progress', undefined)).toBe(true);
    expect(router.wants('executing', undefined)).toBe(true);
    expect(router.wants('status', undefined)).toBe(false);
    router.dispatch({ type: 'executing', data: { node: null, prompt_id: 'A' } });
    expect(router.wants('progress', undefined)).toBe(false);
    subscription.unsubscribe();
  });
});
