/**
 * Fault injection (docs/protocol.md rules 2-8): the client against FakeComfyServer's knobs, over real sockets.
 * No sleeps: every wait is for an event (a fake server event, a prompt event, completion).
 */
import { concatMap, filter, firstValueFrom, lastValueFrom, map, mergeMap, range, toArray } from 'rxjs';
import { ComfyClient, type ComfyClientOptions } from './client';
import { ComfyConnectionError, ComfyHttpError, ComfyPromptLostError } from './errors';
import type { DoneEvent, PromptEvent } from './prompt/events';
import { FakeComfyServer } from './testing';
import { fileNames, silentImage, slowImage, tinyImage } from './__fixtures__/workflows';

const fastReconnect = { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 6, jitter: 0.2 };
const isDone = (e: PromptEvent): e is DoneEvent => e.type === 'done';

describe('fault injection', () => {
  let fake: FakeComfyServer;
  const clients: ComfyClient[] = [];
  const client = (options: Partial<ComfyClientOptions> = {}) => {
    const c = new ComfyClient({ url: fake.url, reconnect: fastReconnect, ...options });
    clients.push(c);
    return c;
  };
  beforeEach(async () => (fake = await FakeComfyServer.start()));
  afterEach(async () => {
    // every socket of the test closes now, by its client: not later by the 500 ms linger, a reconnect or the fake's stop
    const closed = fake.stats.wsOpen === 0 ? Promise.resolve() : fake.waitFor('ws-close', () => fake.stats.wsOpen === 0, 400);
    for (const c of clients.splice(0)) c.close();
    try {
      await closed;
    } finally {
      await fake.stop();
    }
  });

  it('the socket dies between two prompts (the original bug): the second completes promptly', async () => {
    const comfy = client({ stall: { warnAfterMs: 5_000 } });
    const hold = comfy.connect();
    try {
      await comfy.runAsync(tinyImage('first', 1));
      fake.dropSockets();
      const events = await lastValueFrom(comfy.run(tinyImage('second', 2)).pipe(toArray()));
      const second = events.at(-1) as DoneEvent;
      expect(fileNames(second.outputs)).toEqual(['second_00001_.png']);
      // ended through the new socket (live, or reconciled on reconnecting), not by the stall check 5 s later
      expect(events.map((e) => e.type)).not.toContain('stalled');
      expect(fake.stats.wsConnectionsTotal).toBe(2);
    } finally {
      hold.unsubscribe();
    }
  });

  it('the socket dies mid-run and the prompt completes while the client is disconnected: it still ends with its outputs', async () => {
    // the server refuses new sockets until the prompt has finished: the client cannot see the end live
    const comfy = client({ reconnect: { initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 400, jitter: 0 }, stall: { warnAfterMs: 10_000 } });
    const events: PromptEvent[] = [];
    const result = lastValueFrom(comfy.run(slowImage('mid', 4, 30)).pipe(map((e) => (events.push(e), e))));
    await fake.waitFor('progress');
    const acceptAgain = fake.refuseSockets(503);
    fake.dropSockets();
    const finished = await fake.waitFor('prompt-finished');
    expect(finished.status).toBe('success');
    expect(comfy.isConnected).toBe(false); // finished while we were away
    acceptAgain();
    const done = (await result) as DoneEvent;
    expect(fileNames(done.outputs)).toEqual(['mid_00001_.png']);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['reconnecting', 'reconnected', 'done']));
    expect(events.filter((e) => e.type === 'progress').length).toBeLessThan(4); // progress sent while away is lost
  });

  it('completion messages are swallowed: the prompt still ends, through reconciliation, within the stall interval', async () => {
    fake.swallow((m) => m.type === 'execution_success' || (m.type === 'executing' && m.data.node === null));
    const comfy = client({ stall: { warnAfterMs: 300 } });
    const events = await lastValueFrom(comfy.run(tinyImage('swallowed')).pipe(toArray()));
    expect(fileNames((events.at(-1) as DoneEvent).outputs)).toEqual(['swallowed_00001_.png']);
    // the first stall check (after 300 ms of silence) reconciles and ends it: no second one at 600 ms
    expect(events.slice(-2)).toEqual([{ type: 'stalled', silentMs: 300 }, expect.objectContaining({ type: 'done' })]);
    expect(events.filter((e) => e.type === 'stalled')).toHaveLength(1);
  });

  it('the server restarts and forgets its queue: every prompt in flight ends with ComfyPromptLostError, none hangs', async () => {
    const comfy = client({ stall: { warnAfterMs: 2_000 } });
    const release = fake.holdQueue();
    const queued = Promise.all([0, 1, 2].map((i) => fake.waitFor('prompt-queued', (p) => p.number === i)));
    const outcomes = Promise.all([0, 1, 2].map((i) => comfy.runAsync(slowImage(`lost${i}`, 3, 10, i)).catch((e: unknown) => e)));
    await queued;
    fake.restart();
    release();
    const errors = await outcomes;
    expect(errors.map((e) => e instanceof ComfyPromptLostError)).toEqual([true, true, true]);
  });

  it('a running prompt lost in a restart ends with ComfyPromptLostError too', async () => {
    const comfy = client();
    const outcome = comfy.runAsync(slowImage('gone', 20, 20)).catch((e: unknown) => e);
    await fake.waitFor('progress');
    fake.restart();
    expect(await outcome).toBeInstanceOf(ComfyPromptLostError);
  });

  it('a 200-prompt batch with the socket cut 20 times: every prompt completes exactly once, none is posted twice', async () => {
    const comfy = client({ stall: { warnAfterMs: 1_000 } });
    // cut the socket when prompt number k (of 200) starts, for 20 k chosen with a fixed seed
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const cutAt = new Set<number>();
    while (cutAt.size < 20) cutAt.add(Math.floor(random() * 200));
    let started = 0;
    let cuts = 0;
    const onStart = () => {
      if (cutAt.has(started++)) {
        cuts++;
        fake.dropSockets();
      }
    };
    fake.events.on('prompt-started', onStart);
    try {
      const done = await lastValueFrom(
        range(0, 200).pipe(
          mergeMap((i) => comfy.run(tinyImage(`cut${i}`, i)).pipe(filter(isDone), map((d) => ({ i, d }))), 4),
          toArray(),
        ),
      );
      expect(cuts).toBe(20);
      expect(done).toHaveLength(200);
      expect(new Set(done.map(({ i }) => i)).size).toBe(200);
      for (const { i, d } of done) expect(fileNames(d.outputs)).toEqual([`cut${i}_00001_.png`]);
      expect(fake.stats.promptPosts.size).toBe(200);
      expect([...fake.stats.promptPosts.values()].every((n) => n === 1)).toBe(true);
      expect(fake.stats.wsConnectionsTotal).toBeGreaterThan(1);
    } finally {
      fake.events.off('prompt-started', onStart);
    }
  }, 120_000);

  it('a silent node longer than the stall interval: `stalled` warnings, then success', async () => {
    const comfy = client({ stall: { warnAfterMs: 150 } });
    const events = await lastValueFrom(comfy.run(silentImage('quiet', 0.6)).pipe(toArray()));
    const stalls = events.filter((e) => e.type === 'stalled');
    expect(stalls.length).toBeGreaterThanOrEqual(2);
    expect(stalls[0]).toEqual({ type: 'stalled', silentMs: 150 });
    expect(stalls[1]).toEqual({ type: 'stalled', silentMs: 300 });
    expect(events.at(-1)?.type).toBe('done');
  });

  it('a prompt waiting behind others is not stalled: it reports its queue position', async () => {
    const comfy = client({ stall: { warnAfterMs: 100 } });
    const first = comfy.runAsync(silentImage('ahead', 0.5, 1));
    await fake.waitFor('prompt-started');
    const events = await lastValueFrom(comfy.run(tinyImage('behind', 2)).pipe(toArray()));
    await first;
    expect(events.some((e) => e.type === 'stalled')).toBe(false);
    expect(events).toContainEqual({ type: 'waiting', ahead: 1 });
    expect(events.at(-1)?.type).toBe('done');
  });

  it('cancel pending: unsubscribing removes it from the queue; it never runs and has no history', async () => {
    const comfy = client();
    const release = fake.holdQueue();
    const queued = fake.waitFor('prompt-queued');
    const subscription = comfy.run(tinyImage('pending')).subscribe();
    const { promptId } = await queued;
    const deleted = fake.waitFor('queue-deleted');
    subscription.unsubscribe();
    expect((await deleted).promptIds).toEqual([promptId]);
    release();
    expect(fake.queueSnapshot().queue_pending.map((item) => item[1])).not.toContain(promptId);
    expect(fake.historyOf(promptId)).toBeUndefined();
  });

  it('cancel running: unsubscribing interrupts it (targeted) and history shows the interrupt; another client is not touched', async () => {
    const mine = client();
    const theirs = client();
    const release = fake.holdQueue();
    const queuedMine = fake.waitFor('prompt-queued', (p) => p.clientId === mine.clientId);
    const subscription = mine.run(slowImage('mine', 40, 10)).subscribe();
    const { promptId } = await queuedMine;
    const queuedTheirs = fake.waitFor('prompt-queued', (p) => p.clientId === theirs.clientId);
    const their = theirs.runAsync(tinyImage('theirs', 5));
    await queuedTheirs;
    const progress = fake.waitFor('progress', (p) => p.promptId === promptId);
    release();
    await progress;
    const interrupted = fake.waitFor('interrupt', (i) => i.promptId === promptId);
    const finished = fake.waitFor('prompt-finished', (p) => p.promptId === promptId);
    subscription.unsubscribe();
    expect(await interrupted).toEqual({ promptId, hit: true });
    expect((await finished).status).toBe('interrupted');
    expect(fake.historyOf(promptId)?.status?.messages.map(([event]) => event)).toContain('execution_interrupted');
    expect(fileNames((await their).outputs)).toEqual(['theirs_00001_.png']); // still ran, to completion
  });

  it('unsubscribing from a sequential batch cancels the current item and skips the rest', async () => {
    const comfy = client();
    const posted: string[] = [];
    fake.events.on('prompt-queued', (p) => posted.push(p.promptId));
    const third = fake.waitFor('progress', () => posted.length === 3);
    const subscription = range(0, 10).pipe(concatMap((i) => comfy.run(slowImage(`b${i}`, 20, 10, i)))).subscribe();
    const progress = await third;
    const interrupted = fake.waitFor('interrupt');
    subscription.unsubscribe();
    expect((await interrupted).promptId).toBe(progress.promptId);
    expect(posted).toHaveLength(3);
  });

  it('a server that refuses the socket (403) forever: ComfyConnectionError to every prompt in flight, after the bound', async () => {
    fake.refuseSockets(403);
    const comfy = client({ reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 3, jitter: 0 } });
    const attempts: number[] = [];
    const errors = await Promise.all([1, 2].map((i) => comfy.runAsync(tinyImage(`r${i}`), { onEvent: (e) => e.type === 'reconnecting' && attempts.push(e.attempt) }).catch((e: unknown) => e)));
    for (const error of errors) {
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as ComfyConnectionError).details.attempts).toBe(3);
      expect((error as Error).message).toMatch(/HTTP 403/);
    }
    expect(attempts.sort()).toEqual([1, 1, 2, 2, 3, 3]); // both prompts saw each reconnect attempt
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('a server that accepts the socket but never sends status: ComfyConnectionError after the bound', async () => {
    fake.muteSockets();
    const comfy = client({ openTimeoutMs: 100, reconnect: { initialDelayMs: 10, maxDelayMs: 10, maxAttempts: 2, jitter: 0 } });
    const error = await comfy.runAsync(tinyImage('mute')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(/sent no status within 100 ms/);
  });

  it('connection refused: ComfyConnectionError naming the server', async () => {
    const url = fake.url;
    await fake.stop();
    const comfy = client({ url, reconnect: { initialDelayMs: 5, maxDelayMs: 5, maxAttempts: 1, jitter: 0 } });
    const error = (await comfy.runAsync(tinyImage('nobody')).catch((e: unknown) => e)) as ComfyConnectionError;
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.url).toContain(new URL(url).host);
  });

  it('malformed and unknown frames from the server are skipped; the prompt completes', async () => {
    const comfy = client();
    const unknown = firstValueFrom(comfy.messages$.pipe(filter((m) => m.type === 'unknown')));
    const events = lastValueFrom(comfy.run(slowImage('noisy', 3, 20)).pipe(toArray()));
    await fake.waitFor('progress');
    fake.sendRaw('{"type": "progress", "data": {"value": "NaN?"}}');
    fake.sendRaw('not json at all');
    fake.sendRaw(Buffer.from([0, 0, 0, 1])); // a preview without its format word
    fake.sendRaw(JSON.stringify({ type: 'custom.node.message', data: { x: 1 } }));
    fake.sendRaw(Buffer.from([0, 0, 0, 42, 1]));
    expect(await unknown).toEqual({ type: 'unknown', rawType: 'custom.node.message', data: { x: 1 } });
    expect((await events).at(-1)?.type).toBe('done');
  });

  it('HTTP errors carry status and URL: a missing file on /view is a ComfyHttpError 404; an oversize upload a 413', async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ maxUploadBytes: 1024 });
    const comfy = client();
    const missing = (await firstValueFrom(comfy.http.view({ filename: 'nope.png', subfolder: '', type: 'output' })).catch((e: unknown) => e)) as ComfyHttpError;
    expect(missing).toBeInstanceOf(ComfyHttpError);
    expect(missing).toMatchObject({ status: 404, method: 'GET' });
    const big = (await firstValueFrom(comfy.http.uploadImage(Buffer.alloc(4096), 'big.png')).catch((e: unknown) => e)) as ComfyHttpError;
    expect(big).toBeInstanceOf(ComfyHttpError);
    expect(big.status).toBe(413);
  });
});
