import { lastValueFrom, toArray } from 'rxjs';
import { failingImage, slowImage, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyExecutionError, ComfyOptionsError, ComfyPromptLostError } from '../errors';
import { FakeComfyServer } from '../testing';

describe('ComfyClient.watch', () => {
  let fake: FakeComfyServer;
  let submitter: ComfyClient;
  let watcher: ComfyClient;

  beforeAll(async () => {
    fake = await FakeComfyServer.start();
    submitter = new ComfyClient({ url: fake.url, lingerMs: 0 });
    watcher = new ComfyClient({ url: fake.url, lingerMs: 0, stall: { warnAfterMs: 100 } });
  });
  afterAll(async () => {
    submitter.close();
    watcher.close();
    await fake.stop();
  });

  it('an unknown previews policy fails the watch with ComfyOptionsError', async () => {
    const error = await lastValueFrom(watcher.watch('any', { previews: 'few' as 'all' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyOptionsError);
  });

  it('a finished prompt: done at once, with the outputs of its history', async () => {
    const done = await submitter.runAsync(tinyImage('watch-done', 1));
    const events = await lastValueFrom(watcher.watch(done.promptId).pipe(toArray()));
    expect(events).toEqual([expect.objectContaining({ type: 'done', promptId: done.promptId, outputs: done.outputs })]);
  });

  it('a prompt of another client, waiting then running: starts from /queue (waiting, started) and ends with done; it ran once', async () => {
    const release = fake.holdQueue();
    const blocker = submitter.runAsync(slowImage('watch-blocker', 2, 20, 2));
    await fake.waitFor('prompt-queued');
    const queued = fake.waitFor('prompt-queued');
    const target = submitter.runAsync(slowImage('watch-target', 3, 30, 3));
    const { promptId } = await queued;
    const firstCheck = fake.waitFor('http', (e) => e.path === '/queue' && e.method === 'GET');
    const watched = lastValueFrom(watcher.watch(promptId).pipe(toArray()));
    await firstCheck;
    release();
    const [events, done] = await Promise.all([watched, target, blocker]);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('waiting');
    expect(types).toContain('started');
    expect(events[events.length - 1]).toMatchObject({ type: 'done', promptId, outputs: done.outputs });
    expect(fake.stats.promptExecutions.get(promptId)).toBe(1);
  });

  it('a prompt that failed: its ComfyExecutionError at once', async () => {
    const failed = await submitter.runAsync(failingImage('watch-fail', 4)).catch((err: ComfyExecutionError) => err);
    expect(failed).toBeInstanceOf(ComfyExecutionError);
    await expect(lastValueFrom(watcher.watch((failed as ComfyExecutionError).promptId))).rejects.toBeInstanceOf(ComfyExecutionError);
  });

  it('an id the server does not know: ComfyPromptLostError', async () => {
    await expect(lastValueFrom(watcher.watch('no-such-prompt'))).rejects.toBeInstanceOf(ComfyPromptLostError);
  });

  it('unsubscribing cancels the prompt only with cancelOnUnsubscribe', async () => {
    const release = fake.holdQueue();
    const queued = fake.waitFor('prompt-queued');
    const run = submitter.run(tinyImage('watch-cancel', 5)).subscribe({ error: () => undefined });
    const { promptId } = await queued;
    const first = watcher.watch(promptId).subscribe();
    await fake.waitFor('http', (e) => e.path === '/queue' && e.method === 'GET');
    first.unsubscribe();
    const deleted = fake.waitFor('queue-deleted', (e) => e.promptIds.includes(promptId));
    const second = watcher.watch(promptId, { cancelOnUnsubscribe: true }).subscribe({ error: () => undefined });
    await fake.waitFor('http', (e) => e.path === '/queue' && e.method === 'GET');
    second.unsubscribe();
    await deleted;
    expect(fake.queueSnapshot().queue_pending.some((item) => item[1] === promptId)).toBe(false);
    run.unsubscribe();
    release();
  });
});
