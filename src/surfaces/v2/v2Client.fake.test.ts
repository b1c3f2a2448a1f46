import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import pino from 'pino';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { ComfyClient } from '../../client';
import { ComfyExecutionError, ComfyValidationError } from '../../errors';
import { saveOutputs } from '../../outputs/saveOutputs';
import type { PromptEvent } from '../../prompt/events';
import { FakeComfyServer } from '../../testing/FakeComfyServer';
import { ComfyApiValidationError, ComfyAuthError, ComfyCreditsError } from './errors';
import { inputFile } from '../../inputs/inputFile';
import { placeholderPng } from '../../testing/media/placeholderPng';

const image = (prefix: string) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
});
const slow = (steps: number, delayMs: number, preview = true) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'SlowProgress', inputs: { image: ['1', 0], steps, delay_ms: delayMs, send_preview: preview } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'slow' } },
});
const stall = (seconds: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 16, height: 16, batch_size: 1, color: 0 } },
  '2': { class_type: 'Stall', inputs: { image: ['1', 0], seconds, interruptible: true } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'stall' } },
});

/** A pino logger writing into `lines` (to assert what is logged, and what never is). */
function capture(): { logger: pino.Logger; lines: string[]; line: (text: string) => Promise<string> } {
  const lines: string[] = [];
  const waiters: { text: string; resolve: (line: string) => void }[] = [];
  const write = (line: string) => {
    lines.push(line);
    for (const waiter of [...waiters]) if (line.includes(waiter.text)) (waiters.splice(waiters.indexOf(waiter), 1), waiter.resolve(line));
  };
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (write(chunk.toString()), done()) }));
  const line = (text: string) => new Promise<string>((resolve) => waiters.push({ text, resolve }));
  return { logger, lines, line };
}

const run = (comfy: ComfyClient, workflow: Record<string, unknown>, options = {}) => lastValueFrom(comfy.run(workflow, options).pipe(toArray()));
const types = (events: readonly PromptEvent[]) => events.map((event) => event.type);

describe('ComfyClient on the Comfy API v2 (the fake as comfy-api-proxy)', () => {
  let fake: FakeComfyServer;
  afterEach(() => fake.stop());

  it('runs prompts one after another and at once (more than the 8 streams), each to done with its outputs as assets', async () => {
    fake = await FakeComfyServer.start();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2' });
    const first = await run(comfy, image('seq-a'));
    const second = await run(comfy, image('seq-b'));
    for (const events of [first, second]) {
      expect(types(events)[0]).toBe('queued');
      expect(types(events).at(-1)).toBe('done');
    }
    const done = second.at(-1) as Extract<PromptEvent, { type: 'done' }>;
    const queued = second[0] as Extract<PromptEvent, { type: 'queued' }>;
    expect(done.promptId).toBe(queued.promptId);
    expect(done.jobId).toBe(queued.jobId);
    expect(done.outputs['2']).toEqual({ images: [expect.objectContaining({ filename: 'seq-b_00001_.png', type: 'output', url: expect.stringContaining(`${fake.url}/api/v2/assets/`) })] });

    const many = await lastValueFrom(merge(...Array.from({ length: 12 }, (_, i) => comfy.run(image(`con-${i}`)))).pipe(toArray()));
    expect(many.filter((event) => event.type === 'done')).toHaveLength(12);
    expect(fake.v2.stats.jobs).toBe(14);
  });

  it('reports progress that never goes backwards, previews, executing nodes and outputs as they come', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { throttleMs: 40 } } });
    const comfy = new ComfyClient({ url: fake.url, api: 'v2' });
    const events = await run(comfy, slow(6, 30));
    const overall = events.flatMap((event) => (event.type === 'progress' && event.overall !== undefined ? [event.overall] : []));
    expect(overall.length).toBeGreaterThan(1);
    expect(overall).toEqual([...overall].sort((a, b) => a - b));
    expect(events.some((event) => event.type === 'executing' && event.node === '2' && event.classType === 'SlowProgress')).toBe(true);
    const preview = events.find((event) => event.type === 'preview') as Extract<PromptEvent, { type: 'preview' }>;
    expect([preview.mime, preview.data.subarray(0, 2).toString('hex')]).toEqual(['image/jpeg', 'ffd8']);
    expect(events.some((event) => event.type === 'executed' && event.node === '3')).toBe(true);
  });

  it('saves outputs from their assets, a download cut halfway resumed with Range', async () => {
    fake = await FakeComfyServer.start();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2', retry: { initialDelayMs: 1, jitter: 0 } });
    const done = (await run(comfy, image('cut'))).at(-1) as Extract<PromptEvent, { type: 'done' }>;
    const dir = await mkdtemp(join(tmpdir(), 'comfyrx-v2-'));
    try {
      const whole = Buffer.from(await (await fetch((done.outputs['2']?.images as { url: string }[])[0]?.url as string)).arrayBuffer());
      fake.v2.breakNextContent(20);
      const [saved] = await lastValueFrom(saveOutputs(comfy.http, done.outputs, { dir }).pipe(toArray()));
      expect(await readFile(saved?.path as string)).toEqual(whole);
      expect(fake.v2.requests.filter((r) => r.path.endsWith('/content')).length).toBe(3); // the whole, the cut one, the rest
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('input files become assets: hashed, uploaded once, then found by hash; the workflow gets core/ASSET references', async () => {
    fake = await FakeComfyServer.start();
    const png = placeholderPng({ width: 8, height: 8, seed: 7 });
    const load = () => ({
      '1': { class_type: 'LoadImage', inputs: { image: inputFile(png) } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'loaded' } },
    });
    const bodies: string[] = [];
    const spy: typeof fetch = (input, init) => (typeof init?.body === 'string' && bodies.push(init.body), fetch(input, init));
    const comfy = new ComfyClient({ url: fake.url, api: 'v2', fetch: spy });
    const assetCalls = () => fake.v2.requests.filter((r) => r.path.startsWith('/assets')).map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{64}/, '<hash>')}`);
    const first = await run(comfy, load());
    expect(types(first).at(-1)).toBe('done');
    expect(assetCalls()).toEqual(['HEAD /assets/by-hash/blake3:<hash>', 'POST /assets']);
    const submitted = JSON.parse(bodies.find((body) => body.includes('LoadImage')) as string) as { workflow: { '1': { inputs: { image: { __type: string; info: { id: string; hash: string } } } } } };
    expect(submitted.workflow['1'].inputs.image).toMatchObject({ __type: 'core/ASSET', info: { id: expect.any(String), hash: expect.stringMatching(/^blake3:[0-9a-f]{64}$/) } });

    expect(types(await run(comfy, load())).at(-1)).toBe('done');
    expect(assetCalls()).toHaveLength(2); // this client remembers the asset

    const other = new ComfyClient({ url: fake.url, api: 'v2' });
    expect(types(await run(other, load())).at(-1)).toBe('done');
    expect(assetCalls().slice(2)).toEqual(['HEAD /assets/by-hash/blake3:<hash>', 'POST /assets/from-hash']); // known bytes: never sent again
  });

  it('a rejected workflow fails with ComfyApiValidationError and the node errors', async () => {
    fake = await FakeComfyServer.start();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2' });
    const bad = { '1': { class_type: 'EmptyImage', inputs: { width: -5, height: 16, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } };
    const error = await run(comfy, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyApiValidationError);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect((error as ComfyApiValidationError).nodeErrors['1']?.errors[0]?.type).toBe('value_smaller_than_min');
  });

  it('a failed node is a ComfyExecutionError', async () => {
    fake = await FakeComfyServer.start();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2' });
    const failing = { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } }, '2': { class_type: 'FailAlways', inputs: { image: ['1', 0], message: 'boom' } }, '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'f' } } };
    const error = (await run(comfy, failing).catch((e: unknown) => e)) as ComfyExecutionError;
    expect([error instanceof ComfyExecutionError, error.nodeId, error.nodeType, error.exceptionMessage.trim()]).toEqual([true, '2', 'FailAlways', 'boom']);
  });

  it('a lost submit answer is posted again with the same Idempotency-Key: the reused key finds the job, which runs once', async () => {
    fake = await FakeComfyServer.start();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2', retry: { initialDelayMs: 5, jitter: 0 } });
    fake.dropNextResponse('POST /api/v2/jobs');
    const events = await run(comfy, image('lost'));
    const done = events.at(-1) as Extract<PromptEvent, { type: 'done' }>;
    expect(done.type).toBe('done');
    expect(fake.v2.stats.jobs).toBe(1);
    expect(fake.stats.promptExecutions.get(done.jobId as string)).toBe(1);
    expect(fake.v2.requests.filter((r) => r.method === 'POST' && r.path === '/jobs')).toHaveLength(2);
  });

  it('survives the expired race and a stream that misses the end', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { expiredRace: 1, streamMissesEnd: 1, heartbeatMs: 60_000 } } });
    const comfy = new ComfyClient({ url: fake.url, api: 'v2' });
    const results = await lastValueFrom(merge(...[0, 1, 2].map((i) => comfy.run(image(`race-${i}`)))).pipe(toArray()));
    expect(results.filter((event) => event.type === 'done')).toHaveLength(3); // no ComfyPromptLostError, no 60 s wait
  });

  it('cancel by unsubscribe: stopped where cancel works; a warning where the proxy ignores it, and cancel() says it still runs', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { cancel: 'works' } } });
    const { logger, line } = capture();
    const comfy = new ComfyClient({ url: fake.url, api: 'v2', logger, v2: { cancelVerifyMs: [30, 60, 120] } });
    const stopped = comfy.run(stall(20)).subscribe();
    const started = await fake.waitFor('prompt-started');
    stopped.unsubscribe();
    expect((await fake.promptFinished(started.promptId)).status).toBe('interrupted');

    fake.v2.setQuirks({ cancel: 'ignored' });
    const warned = line('cancel did not stop the job');
    const ignored = comfy.run(stall(20)).subscribe();
    const running = await fake.waitFor('prompt-started');
    ignored.unsubscribe();
    expect(await warned).toMatch(/"level":40/);

    const explicit = await firstValueFrom(comfy.cancel(running.promptId));
    expect(explicit).toEqual({ promptId: running.promptId, stopped: false, state: 'running' });
    fake.v2.setQuirks({ cancel: 'works' });
    expect(await firstValueFrom(comfy.cancel(running.promptId))).toEqual({ promptId: running.promptId, stopped: true, state: 'cancelled' });
  });

  it('typed errors: 401 ComfyAuthError with the request id, 402 ComfyCreditsError; a 429 on submit is retried', async () => {
    fake = await FakeComfyServer.start({ v2: { apiKey: 'right-key', requestIds: true } });
    const wrong = new ComfyClient({ url: fake.url, api: 'v2', apiKey: 'wrong-key' });
    const auth = (await run(wrong, image('a')).catch((e: unknown) => e)) as ComfyAuthError;
    expect([auth instanceof ComfyAuthError, auth.status, auth.apiCode, /^req_/.test(auth.requestId ?? '')]).toEqual([true, 401, 'unauthorized', true]);
    expect(auth.message).not.toContain('wrong-key');

    const comfy = new ComfyClient({ url: fake.url, api: 'v2', apiKey: 'right-key', retry: { initialDelayMs: 5, jitter: 0 } });
    fake.v2.failNext('POST /api/v2/jobs', 1, 402);
    const credits = await run(comfy, image('b')).catch((e: unknown) => e);
    expect(credits).toBeInstanceOf(ComfyCreditsError);
    fake.v2.failNext('POST /api/v2/jobs', 1, 429, { retryAfterS: 0 });
    expect(types(await run(comfy, image('c'))).at(-1)).toBe('done');
  });

  it('the API key: Bearer to the API origin only (never to signed storage URLs or redirects), the partner key in extra_data, never logged', async () => {
    for (const signedUrls of ['direct', 'redirect'] as const) {
      fake = await FakeComfyServer.start({ v2: { apiKey: 'secret-key-123', signedUrls } });
      const { logger, lines } = capture();
      const bodies: string[] = [];
      const spy: typeof fetch = (input, init) => {
        if (typeof init?.body === 'string') bodies.push(init.body);
        return fetch(input, init);
      };
      const comfy = new ComfyClient({ url: fake.url, api: 'v2', apiKey: 'secret-key-123', logger, fetch: spy });
      const done = (await run(comfy, image(`key-${signedUrls}`))).at(-1) as Extract<PromptEvent, { type: 'done' }>;
      const dir = await mkdtemp(join(tmpdir(), 'comfyrx-v2key-'));
      await lastValueFrom(saveOutputs(comfy.http, done.outputs, { dir }).pipe(toArray()));
      await rm(dir, { recursive: true, force: true });
      expect(fake.v2.requests.filter((r) => r.origin === 'storage')).toEqual([expect.objectContaining({ credentials: false })]);
      expect(fake.v2.requests.filter((r) => r.origin === 'api').every((r) => r.credentials)).toBe(true);
      expect(JSON.parse(bodies.find((body) => body.includes('"workflow"')) as string).extra_data).toEqual({ api_key_comfy_org: 'secret-key-123' });
      expect(lines.join('\n')).not.toContain('secret-key-123');
      expect(inspect(comfy, { depth: 30, showHidden: true })).not.toContain('secret-key-123'); // printing the client shows no key
      await fake.stop();
    }
    fake = await FakeComfyServer.start();
  });

  it("api 'auto' finds the v2 surface, and the native one where /api/v2 is not served", async () => {
    fake = await FakeComfyServer.start();
    expect(await firstValueFrom(new ComfyClient({ url: fake.url, api: 'auto' }).resolveApi())).toBe('v2');
    const native = await FakeComfyServer.start({ v2: { enabled: false } });
    try {
      const comfy = new ComfyClient({ url: native.url, api: 'auto' });
      expect(await firstValueFrom(comfy.resolveApi())).toBe('native');
      expect(types(await run(comfy, image('auto'))).at(-1)).toBe('done');
      comfy.close();
    } finally {
      await native.stop();
    }
  });

  it('watch follows a prompt another client submitted, by its prompt id', async () => {
    fake = await FakeComfyServer.start();
    const submitter = new ComfyClient({ url: fake.url, api: 'v2' });
    const hold = fake.holdQueue();
    const promptId = randomUUID();
    const submitted = lastValueFrom(submitter.run(image('watched'), { promptId }));
    await fake.waitFor('prompt-queued');
    const watcher = new ComfyClient({ url: fake.url, api: 'v2' });
    const watched = lastValueFrom(watcher.watch(promptId).pipe(toArray()));
    hold();
    const events = await watched;
    expect(events.at(-1)).toMatchObject({ type: 'done', promptId });
    expect(await submitted).toMatchObject({ type: 'done', promptId, jobId: (events.at(-1) as { jobId: string }).jobId });
  });
});
