/**
 * Fault injection against a struggling or non-conforming server (docs/protocol.md rules 4 and 9): the client against
 * FakeComfyServer's fault knobs, over real sockets. No sleeps: every wait is for an event.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { lastValueFrom, map } from 'rxjs';
import { ComfyClient, type ComfyClientOptions } from './client';
import { ComfyConnectionError, ComfyHttpError, ComfyOptionsError, ComfyRetriesExhaustedError, ComfyValidationError } from './errors';
import type { DoneEvent, PromptEvent } from './prompt/events';
import { FakeComfyServer } from './testing';
import { fileNames, slowImage, tinyImage } from './__fixtures__/workflows';

const fastReconnect = { initialDelayMs: 20, maxDelayMs: 50, maxAttempts: 400, jitter: 0 };
const fastRetry = { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 4, jitter: 0.2, budgetMs: 5_000 };

describe('a struggling server', () => {
  let fake: FakeComfyServer;
  const clients: ComfyClient[] = [];
  const client = (options: Partial<ComfyClientOptions> = {}) => {
    const c = new ComfyClient({ url: fake.url, reconnect: fastReconnect, retry: fastRetry, ...options });
    clients.push(c);
    return c;
  };
  const httpCalls = (path: RegExp) => {
    const seen: number[] = [];
    fake.events.on('http', (e) => path.test(e.path) && seen.push(e.status));
    return seen;
  };
  beforeEach(async () => (fake = await FakeComfyServer.start()));
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await fake.stop();
  });

  it('/history answers 500 three times in a row right after the prompt finished: the prompt still ends with its outputs', async () => {
    const comfy = client();
    const history = httpCalls(/^\/history\//);
    fake.failNext('GET /history/*', 3, 500);
    const done = await comfy.runAsync(tinyImage('weather'));
    expect(fileNames(done.outputs)).toEqual(['weather_00001_.png']);
    expect(history).toEqual([500, 500, 500, 200]);
  });

  it('a 503 with Retry-After from a proxy: the client waits what the server asked, then reads the outputs', async () => {
    const records: Array<Record<string, unknown>> = [];
    const logs = new Writable({ write: (chunk: Buffer, _encoding, done) => (records.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    const comfy = client({ logger: pino({ level: 'debug' }, logs) });
    const history = httpCalls(/^\/history\//);
    fake.failNext('GET /history/*', 1, 503, { retryAfterS: 1 });
    const done = await comfy.runAsync(tinyImage('polite'));
    expect(fileNames(done.outputs)).toEqual(['polite_00001_.png']);
    expect(history).toEqual([503, 200]);
    // the one retry waited the 1 s the server asked for, not the 10-40 ms backoff of fastRetry
    expect(records.filter((r) => r.msg === 'retrying')).toEqual([expect.objectContaining({ method: 'GET', path: expect.stringMatching(/^\/history\//), attempt: 1, delayMs: 1_000 })]);
  });

  it('no request is retried forever: /history failing for good ends in ComfyRetriesExhaustedError after maxAttempts + 1 calls', async () => {
    const comfy = client();
    const history = httpCalls(/^\/history\//);
    fake.failNext('GET /history/*', 1_000, 502);
    const error = (await comfy.runAsync(tinyImage('hopeless')).catch((e: unknown) => e)) as ComfyRetriesExhaustedError;
    expect(error).toBeInstanceOf(ComfyRetriesExhaustedError);
    expect(error).toBeInstanceOf(ComfyConnectionError); // the pool and the CLI treat it as the server's fault
    expect(error).toMatchObject({ method: 'GET', retries: 4, stop: 'attempts', details: { attempts: 5, status: 502 } });
    expect(error.cause).toBeInstanceOf(ComfyHttpError);
    expect(history).toEqual([502, 502, 502, 502, 502]);
  });

  it('a spent time budget ends in the typed error, even with attempts left', async () => {
    const comfy = client({ retry: { initialDelayMs: 200, maxDelayMs: 200, maxAttempts: 50, jitter: 0, budgetMs: 500 } });
    const calls = httpCalls(/^\/system_stats/);
    fake.failNext('GET /system_stats', 1_000, 504);
    const error = (await lastValueFrom(comfy.http.systemStats()).catch((e: unknown) => e)) as ComfyRetriesExhaustedError;
    expect(error).toBeInstanceOf(ComfyRetriesExhaustedError);
    expect(error.stop).toBe('budget');
    // 200 ms apart within 500 ms: a third retry would start after 600 ms (slow answers leave room for fewer)
    expect([1, 2]).toContain(error.retries);
    expect(calls).toEqual(Array.from({ length: error.retries + 1 }, () => 504));
  });

  it('a 400 from POST /prompt is never retried: ComfyValidationError, posted once', async () => {
    const comfy = client();
    const bad = { '1': { class_type: 'EmptyImage', inputs: { width: 0, height: 8, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } };
    const promptId = randomUUID();
    const error = await comfy.runAsync(bad, { promptId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(fake.stats.promptPosts.get(promptId)).toBe(1);
  });

  it('a 400 on a GET is not retried either', async () => {
    const comfy = client();
    const calls = httpCalls(/^\/object_info/);
    fake.failNext('GET /object_info', 5, 400);
    expect(await lastValueFrom(comfy.http.objectInfo()).catch((e: unknown) => e)).toBeInstanceOf(ComfyHttpError);
    expect(calls).toEqual([400]);
  });

  it("a foreign prompt holding NaN sits in /queue while our prompt's end is missed (socket cut): it still ends with its outputs", async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ jobsApi: false }); // an older server: /queue + /history decide
    const comfy = client({ stall: { warnAfterMs: 10_000 } });
    const queueReads = httpCalls(/^\/queue$/);
    const events: PromptEvent[] = [];
    const result = lastValueFrom(comfy.run(slowImage('nan', 4, 30)).pipe(map((e) => (events.push(e), e))));
    await fake.waitFor('progress');
    const foreign = fake.serveForeignPrompt();
    const acceptAgain = fake.refuseSockets(503);
    fake.dropSockets();
    expect((await fake.waitFor('prompt-finished')).status).toBe('success');
    acceptAgain();
    const done = (await result) as DoneEvent;
    expect(fileNames(done.outputs)).toEqual(['nan_00001_.png']);
    expect(events.map((e) => e.type)).toContain('reconnected');
    expect(queueReads.length).toBeGreaterThanOrEqual(1); // the reconciliation read the NaN-holding /queue
    const queue = await lastValueFrom(comfy.http.queue()); // and that answer is readable, not a ComfyProtocolError
    expect(queue.queue_pending.map((item) => item[1])).toEqual([foreign.promptId]);
    foreign.remove();
  });

  it("with /api/jobs (ComfyUI 0.8.0), our prompt's missed end is decided by GET /api/jobs/{id}, without reading /queue", async () => {
    const comfy = client({ stall: { warnAfterMs: 10_000 } });
    const jobReads = httpCalls(/^\/api\/jobs\//);
    const queueReads = httpCalls(/^\/queue$/);
    const result = comfy.runAsync(slowImage('jobs', 4, 30));
    await fake.waitFor('progress');
    const foreign = fake.serveForeignPrompt(); // would make /queue hard to read: not needed
    const acceptAgain = fake.refuseSockets(503);
    fake.dropSockets();
    expect((await fake.waitFor('prompt-finished')).status).toBe('success');
    acceptAgain();
    expect(fileNames((await result).outputs)).toEqual(['jobs_00001_.png']);
    expect(jobReads).toContain(200);
    expect(queueReads).toEqual([]);
    foreign.remove();
  });

  it("/queue cannot be read at all while our prompt's end is missed: /history/{id} still decides", async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ jobsApi: false });
    const comfy = client({ stall: { warnAfterMs: 10_000 } });
    const result = comfy.runAsync(slowImage('noqueue', 4, 30));
    await fake.waitFor('progress');
    fake.failNext('GET /queue', 1_000, 500);
    const acceptAgain = fake.refuseSockets(503);
    fake.dropSockets();
    expect((await fake.waitFor('prompt-finished')).status).toBe('success');
    acceptAgain();
    expect(fileNames((await result).outputs)).toEqual(['noqueue_00001_.png']);
  });

  it('the POST answer is lost after the server queued the prompt: not posted again, it finishes with its outputs, run once', async () => {
    const comfy = client();
    const posts = httpCalls(/^\/prompt$/);
    const jobReads = httpCalls(/^\/api\/jobs\//);
    fake.dropNextResponse('POST /prompt');
    const dropped = fake.waitFor('response-dropped');
    const done = await comfy.runAsync(tinyImage('lost-answer'));
    await dropped;
    expect(fileNames(done.outputs)).toEqual(['lost-answer_00001_.png']);
    expect(fake.stats.promptPosts.get(done.promptId)).toBe(1);
    expect(fake.stats.promptExecutions.get(done.promptId)).toBe(1);
    expect(posts).toEqual([]); // the dropped answer was never sent
    expect(jobReads).toContain(200); // found by GET /api/jobs/{id}
  });

  it('the POST answer is lost on an older server (no /api/jobs): /queue + /history find it, not posted again, run once', async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ jobsApi: false });
    const comfy = client();
    const queueReads = httpCalls(/^\/queue$/);
    fake.dropNextResponse('POST /prompt');
    const dropped = fake.waitFor('response-dropped');
    const done = await comfy.runAsync(tinyImage('lost-old'));
    await dropped;
    expect(fileNames(done.outputs)).toEqual(['lost-old_00001_.png']);
    expect(fake.stats.promptPosts.get(done.promptId)).toBe(1);
    expect(fake.stats.promptExecutions.get(done.promptId)).toBe(1);
    expect(queueReads).toContain(200);
  });

  it('a 502 from a proxy on POST /prompt (the server never saw it): looked for, then posted again once, run once', async () => {
    const comfy = client();
    const posts = httpCalls(/^\/prompt$/);
    fake.failNext('POST /prompt', 1, 502);
    const done = await comfy.runAsync(tinyImage('proxy-post'));
    expect(posts).toEqual([502, 200]); // re-posted once
    expect(fileNames(done.outputs)).toEqual(['proxy-post_00001_.png']);
    expect(fake.stats.promptPosts.get(done.promptId)).toBe(1);
    expect(fake.stats.promptExecutions.get(done.promptId)).toBe(1);
  });

  it('POST /prompt failing for good: ComfyRetriesExhaustedError after maxAttempts + 1 POSTs, none accepted', async () => {
    const comfy = client({ retry: { ...fastRetry, maxAttempts: 2 } });
    const posts = httpCalls(/^\/prompt$/);
    fake.failNext('POST /prompt', 1_000, 503);
    const error = await comfy.runAsync(tinyImage('never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyRetriesExhaustedError);
    expect(posts).toEqual([503, 503, 503]);
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('rejects an invalid retry option with ComfyOptionsError', () => {
    expect(() => new ComfyClient({ url: fake.url, retry: { jitter: 2 } })).toThrow(ComfyOptionsError);
    expect(() => new ComfyClient({ url: fake.url, retry: { tries: 3 } as never })).toThrow(/retry/);
  });
});
