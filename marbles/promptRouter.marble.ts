import { switchMap, tap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { PromptRouter } from '../src/prompt/promptRouter';
import type { ComfyMessage } from '../src/protocol/messages';
import { msg } from './helpers/messages';
import { newTestScheduler } from './helpers/testScheduler';

describe('PromptRouter (demux by prompt_id)', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('gives each prompt its own messages and nothing else', () => {
    ts.run(({ hot, expectObservable }) => {
      const router = new PromptRouter();
      const values: Record<string, ComfyMessage> = {
        a: msg.start('A'),
        b: msg.start('B'),
        s: msg.status(1),
        x: msg.executing('A', '3'),
        y: msg.progress('B', '3', 1, 2),
        n: msg.executing('A', null),
      };
      const socket = hot('a-b-s-x-y-n', values).pipe(tap((m) => router.dispatch(m)));
      socket.subscribe();
      expectObservable(router.attach('A')).toBe('a-----x---n', values);
      expectObservable(router.attach('B')).toBe('--b-----y--', values);
    });
  });

  it('buffers nothing for prompts nobody follows and forgets a prompt when it unsubscribes', () => {
    newTestScheduler().run(({ hot, expectObservable }) => {
      const router = new PromptRouter();
      const values = { a: msg.start('A'), x: msg.executing('A', '3'), p: msg.preview(), n: msg.executing('A', null) };
      hot('a-x-p-n', values).pipe(tap((m) => router.dispatch(m))).subscribe();
      // followed from frame 3 on: what came before is gone, not replayed (and the unfollowed start
      // did not make A "our running prompt": the id-less preview at 4 is not A's)
      expectObservable(timer(3).pipe(switchMap(() => router.attach('A')))).toBe('------n', values);
    });
    ts.run(({ hot, expectObservable }) => {
      const router = new PromptRouter();
      const values = { a: msg.start('A'), x: msg.executing('A', '3') };
      hot('a-x', values).pipe(tap((m) => router.dispatch(m))).subscribe();
      expectObservable(router.attach('A'), '-!').toBe('a', values);
    });
    const router = new PromptRouter();
    const subscription = router.attach('A').subscribe();
    expect(router.size).toBe(1);
    subscription.unsubscribe();
    expect(router.size).toBe(0);
  });

  it('attributes type-1 previews and the reconnect hint (no prompt_id) to our running prompt', () => {
    ts.run(({ hot, expectObservable }) => {
      const router = new PromptRouter();
      const values = { a: msg.start('A'), p: msg.preview(), h: msg.executing(undefined, '3'), n: msg.executing('A', null), q: msg.preview() };
      hot('a-p-h-n-q', values).pipe(tap((m) => router.dispatch(m))).subscribe();
      expectObservable(router.attach('A')).toBe('a-p-h-n', values);
    });
  });

  it('costs one lookup per message however many prompts are attached', () => {
    const router = new PromptRouter();
    const lookups = jest.spyOn(Map.prototype, 'get');
    const subscriptions = Array.from({ length: 10_000 }, (_, i) => router.attach(`p${i}`).subscribe());
    lookups.mockClear();
    router.dispatch(msg.progress('p5000', '3', 1, 2));
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
    subscriptions.forEach((s) => s.unsubscribe());
  });

  it('refuses a second follower of the same prompt id', () => {
    const router = new PromptRouter();
    router.attach('A').subscribe();
    const errors: unknown[] = [];
    router.attach('A').subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/already being followed/);
  });
});
