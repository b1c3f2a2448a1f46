import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from './FakeComfyServer';
import { INVALID_JSON, RecordingSocket, ComfySocketRefusedError } from './recordingSocket';
import type { ObservedFrame } from './traces';

const tiny = (color = 0) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'knob' } },
});
const slow = (steps: number, delayMs: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: steps } },
  '2': { class_type: 'SlowProgress', inputs: { image: ['1', 0], steps, delay_ms: delayMs } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'slow' } },
});
const typeOf = (frame: ObservedFrame) => (frame.kind === 'text' ? frame.message.type : `binary:${frame.eventType}`);
const isType = (type: string) => (frame: ObservedFrame) => typeOf(frame) === type;

describe('FakeComfyServer knobs', () => {
  let fake: FakeComfyServer;
  const sockets: RecordingSocket[] = [];
  const wsUrl = (clientId?: string) => `${fake.url.replace('http', 'ws')}/ws${clientId ? `?clientId=${clientId}` : ''}`;
  const connect = async (clientId?: string, headers?: Record<string, string>) => {
    const socket = await RecordingSocket.open(wsUrl(clientId), { headers });
    sockets.push(socket);
    return socket;
  };
  const post = async (body: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify(body) });
    return ((await response.json()) as { prompt_id: string }).prompt_id;
  };
  const finished = (promptId: string) => fake.promptFinished(promptId);

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) await socket.close();
    await fake.stop();
  });

  it('rejects invalid options with ComfyOptionsError', async () => {
    await expect(FakeComfyServer.start({ nodeLatencyMs: -1 })).rejects.toBeInstanceOf(ComfyOptionsError);
    await expect(FakeComfyServer.start({ previewMethod: 'taesd' } as never)).rejects.toThrow(/previewMethod/);
    await expect(FakeComfyServer.start({ bogus: true } as never)).rejects.toBeInstanceOf(ComfyOptionsError);
  });

  it('dropSockets: every open socket closes abnormally', async () => {
    const a = await connect('a');
    const b = await connect();
    const closes = Promise.all([fake.waitFor('ws-close', (e) => e.clientId === 'a'), fake.waitFor('ws-close', (e) => e.clientId === '')]);
    expect(fake.stats.wsOpen).toBe(2);
    fake.dropSockets();
    expect((await a.closed).code).toBe(1006);
    expect((await b.closed).code).toBe(1006);
    await closes;
    expect(fake.stats).toMatchObject({ wsOpen: 0, wsConnectionsTotal: 2 });
  });

  it('restart: sockets drop, the running prompt vanishes, queue, history and counter are lost, same port', async () => {
    const port = fake.port;
    const first = await connect('r');
    const doneBefore = await post({ prompt: tiny(1), client_id: 'r' });
    await finished(doneBefore);
    const release = fake.holdQueue();
    const running = await post({ prompt: slow(5, 30), client_id: 'r' });
    const pending = await post({ prompt: tiny(2), client_id: 'r' });
    const started = fake.waitFor('prompt-started', (e) => e.promptId === running);
    release();
    await started;
    await fake.waitFor('progress', (e) => e.promptId === running && e.value === 1);
    const oldProgress: number[] = [];
    fake.events.on('progress', (e) => e.promptId === running && oldProgress.push(e.value));

    fake.restart();
    expect((await first.closed).code).toBe(1006);
    expect(fake.port).toBe(port);
    expect(fake.queueSnapshot()).toEqual({ queue_running: [], queue_pending: [] });
    expect(await (await fetch(`${fake.url}/history`)).json()).toEqual({});

    const second = await connect('r');
    const after = await post({ prompt: slow(5, 30), client_id: 'r' });
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: tiny(3) }) });
    expect(((await response.json()) as { number: number }).number).toBe(1); // counter restarted at 0
    await finished(after);
    await second.flush();
    const mentioned = JSON.stringify(second.messages);
    expect(mentioned).not.toContain(running);
    expect(mentioned).not.toContain(pending);
    expect(oldProgress).toEqual([]);
    expect(fake.historyOf(running)).toBeUndefined();
  });

  it('swallow(types): those messages are not sent but still recorded in history; undo restores them', async () => {
    const socket = await connect('s');
    const undo = fake.swallow(['execution_success']);
    const id = await post({ prompt: tiny(), client_id: 's' });
    await finished(id);
    await socket.flush();
    expect(socket.frames.filter(isType('execution_success'))).toHaveLength(0);
    expect(fake.historyOf(id)?.status?.messages.map(([event]) => event)).toContain('execution_success');
    undo();
    const next = await post({ prompt: tiny(9), client_id: 's' });
    await finished(next);
    await socket.flush();
    expect(socket.frames.filter(isType('execution_success'))).toHaveLength(1);
  });

  it('swallow(predicate): e.g. only the final executing null', async () => {
    const socket = await connect('s2');
    fake.swallow((message) => message.type === 'executing' && message.data.node === null);
    const id = await post({ prompt: tiny(), client_id: 's2' });
    await finished(id);
    await socket.flush();
    const executing = socket.messages.filter((m) => m.type === 'executing').map((m) => (m.data as { node: string | null }).node);
    expect(executing).toEqual(['1', '2']);
  });

  it('refuseSockets: upgrades get the status until undone (default 403)', async () => {
    const undo503 = fake.refuseSockets(503);
    await expect(RecordingSocket.open(wsUrl('x'))).rejects.toEqual(new ComfySocketRefusedError(503));
    const undo403 = fake.refuseSockets();
    await expect(RecordingSocket.open(wsUrl('x'))).rejects.toMatchObject({ status: 403 });
    undo403();
    undo503();
    const socket = await connect('x');
    await socket.waitFor(isType('status'));
  });

  it('muteSockets: accepted sockets never receive a frame, even for their own prompt', async () => {
    const undo = fake.muteSockets();
    const opened = fake.waitFor('ws-open', (e) => e.clientId === 'm');
    const muted = await connect('m');
    await opened;
    const id = await post({ prompt: tiny(), client_id: 'm' });
    await finished(id);
    await muted.flush();
    expect(muted.frames).toEqual([]);
    undo();
    const live = await connect('m2');
    await live.waitFor(isType('status'));
  });

  it('holdQueue: prompts stay pending until released', async () => {
    const release = fake.holdQueue();
    const id = await post({ prompt: tiny() });
    const queue = (await (await fetch(`${fake.url}/queue`)).json()) as { queue_running: unknown[]; queue_pending: unknown[][] };
    expect(queue.queue_running).toEqual([]);
    expect(queue.queue_pending.map((item) => item[1])).toEqual([id]);
    const started = fake.waitFor('prompt-started');
    release();
    expect(await started).toEqual({ promptId: id });
    await finished(id);
  });

  it('delayHttp: answers come late while the work happens on time (WS beats HTTP)', async () => {
    const socket = await connect('d');
    const undo = fake.delayHttp(150);
    const t0 = performance.now();
    let answered = false;
    const request = post({ prompt: tiny(), client_id: 'd' }).then((id) => {
      answered = true;
      return id;
    });
    const end = await socket.waitFor((f) => f.kind === 'text' && f.message.type === 'executing' && (f.message.data as { node: unknown }).node === null);
    expect(answered).toBe(false);
    const id = await request;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect((end as { message: { data: { prompt_id: string } } }).message.data.prompt_id).toBe(id);
    undo();
    const t1 = performance.now();
    await fetch(`${fake.url}/prompt`);
    expect(performance.now() - t1).toBeLessThan(140);
  });

  it('addFile({sizeBytes}) streams 50 MB without holding them', async () => {
    const size = 50 * 1024 * 1024;
    fake.addFile({ filename: 'big.bin', subfolder: 'bench' }, { sizeBytes: size });
    const baseline = process.memoryUsage().arrayBuffers;
    const response = await fetch(`${fake.url}/view?filename=big.bin&subfolder=bench`);
    expect(response.headers.get('content-length')).toBe(String(size));
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    let received = 0;
    let earlyGrowth = 0; // memory growth once the first MiB arrived: a server holding the file would show 50 MB here
    let first: Uint8Array | undefined;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      first ??= chunk.slice(0, 4);
      received += chunk.length;
      if (earlyGrowth === 0 && received >= 1024 * 1024) earlyGrowth = process.memoryUsage().arrayBuffers - baseline;
    }
    expect(received).toBe(size);
    expect([...(first ?? [])]).toEqual([7, 38, 69, 100]); // the generated pattern (i * 31 + 7) & 0xff
    expect(earlyGrowth).toBeLessThan(16 * 1024 * 1024);
  });

  it('addFile(Buffer) serves the bytes with the content type of the extension', async () => {
    fake.addFile({ filename: 'clip.webm', type: 'temp' }, Buffer.from('webm!'));
    const response = await fetch(`${fake.url}/view?filename=clip.webm&type=temp`);
    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([200, 'video/webm', 'webm!']);
    expect(() => fake.addFile({ filename: 'x', subfolder: '../up' }, Buffer.alloc(1))).toThrow(RangeError);
  });

  it('events and waitFor: payloads in order, predicate filtering, clear timeout errors', async () => {
    const seen: string[] = [];
    for (const name of ['prompt-queued', 'prompt-started', 'node-executing', 'prompt-finished'] as const) fake.events.on(name, () => seen.push(name));
    const queued = fake.waitFor('prompt-queued', (e) => e.clientId === 'w');
    const id = await post({ prompt: tiny(), client_id: 'w' });
    expect(await queued).toEqual({ promptId: id, clientId: 'w', number: 0 });
    await finished(id);
    expect(seen).toEqual(['prompt-queued', 'prompt-started', 'node-executing', 'node-executing', 'prompt-finished']);
    const http = fake.waitFor('http', (e) => e.path === '/api/queue');
    await fetch(`${fake.url}/api/queue`);
    expect(await http).toEqual({ method: 'GET', path: '/api/queue', status: 200 });
    await expect(fake.waitFor('prompt-started', undefined, 20)).rejects.toThrow("FakeComfyServer.waitFor('prompt-started') timed out after 20 ms");
    const pending = fake.waitFor('prompt-started');
    await fake.stop();
    await expect(pending).rejects.toThrow('FakeComfyServer stopped');
  });

  it('basicAuth: HTTP and the WS upgrade need the credentials', async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ basicAuth: { user: 'u', pass: 'p@ss' } });
    const authorization = `Basic ${Buffer.from('u:p@ss').toString('base64')}`;
    expect((await fetch(`${fake.url}/queue`)).status).toBe(401);
    expect((await fetch(`${fake.url}/queue`, { headers: { authorization: `Basic ${Buffer.from('u:nope').toString('base64')}` } })).status).toBe(401);
    expect((await fetch(`${fake.url}/queue`, { headers: { authorization } })).status).toBe(200);
    await expect(RecordingSocket.open(wsUrl('a'))).rejects.toMatchObject({ status: 401 });
    const socket = await connect('a', { authorization });
    await socket.waitFor(isType('status'));
  });

  it('origin guard: a foreign Origin against a loopback Host gets 403', async () => {
    expect((await fetch(`${fake.url}/queue`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await fetch(`${fake.url}/queue`, { headers: { origin: fake.url } })).status).toBe(200);
    await expect(RecordingSocket.open(wsUrl('o'), { headers: { origin: 'http://evil.example' } })).rejects.toMatchObject({ status: 403 });
  });

  it('setNodeLatency / setStepLatency: simulated time per node and per step', async () => {
    const calls: string[] = [];
    fake.setNodeLatency((classType, nodeId) => {
      calls.push(`${classType}#${nodeId}`);
      return classType === 'EmptyImage' ? 60 : 0;
    });
    let t0 = performance.now();
    await finished(await post({ prompt: tiny(11) }));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(calls).toEqual(['EmptyImage#1', 'SaveImage#2']);
    fake.setNodeLatency(0);
    fake.setStepLatency(25);
    t0 = performance.now();
    await finished(await post({ prompt: slow(3, 0) }));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(70);
  });

  it('interrupt: targeted at another prompt is a no-op; the running one ends interrupted', async () => {
    const id = await post({ prompt: slow(50, 20) });
    await fake.waitFor('progress', (e) => e.promptId === id && e.value === 1);
    const miss = fake.waitFor('interrupt');
    await fetch(`${fake.url}/interrupt`, { method: 'POST', body: JSON.stringify({ prompt_id: 'other' }) });
    expect(await miss).toEqual({ promptId: 'other', hit: false });
    const hit = fake.waitFor('interrupt');
    const end = finished(id);
    await fetch(`${fake.url}/interrupt`, { method: 'POST', body: JSON.stringify({ prompt_id: id }) });
    expect(await hit).toEqual({ promptId: id, hit: true });
    expect(await end).toEqual({ promptId: id, status: 'interrupted' });
  });

  it("previewMethod 'auto': samplers send a JPEG preview per step (type 1, or type 4 after negotiation)", async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ previewMethod: 'auto' });
    const legacy = await connect('legacy');
    const modern = await connect('modern');
    modern.send({ type: 'feature_flags', data: { supports_preview_metadata: true } });
    await modern.waitFor(isType('feature_flags'));
    const graph = (seed: number) => ({
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
      '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
      '3': { class_type: 'KSampler', inputs: { seed, steps: 3, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0] } },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
      '9': { class_type: 'PreviewImage', inputs: { images: ['8', 0] } },
    });
    for (const socket of [legacy, modern]) {
      const id = await post({ prompt: graph(socket === legacy ? 1 : 2), client_id: socket === legacy ? 'legacy' : 'modern' }); // different seeds: no cache hit
      await finished(id);
      await socket.flush();
    }
    const legacyPreviews = legacy.frames.filter(isType('binary:1'));
    expect(legacyPreviews).toHaveLength(3);
    expect(legacyPreviews.every((f) => f.kind === 'binary' && f.imageType === 1 && f.image?.readUInt16BE(0) === 0xffd8)).toBe(true);
    const modernPreviews = modern.frames.filter(isType('binary:4'));
    expect(modernPreviews).toHaveLength(3);
    expect(modern.frames.filter(isType('binary:1'))).toHaveLength(0);
    const temp = (modern.messages.find((m) => m.type === 'executed')?.data as { output: { images: { filename: string; type: string }[] } }).output.images[0];
    expect(temp?.type).toBe('temp');
    expect(temp?.filename).toMatch(/^ComfyUI_temp_[a-z]{5}_00001_\.png$/);
  });

  it('sendProgressText and sendRaw reach the sockets (bad-frame injection)', async () => {
    const a = await connect('a');
    const b = await connect('b');
    await Promise.all([a.waitForCount(1), b.waitForCount(1)]);
    fake.sendProgressText('7', 'loading');
    fake.sendRaw('{not json', 'b');
    await Promise.all([a.flush(), b.waitForCount(3)]);
    expect(a.frames.map(typeOf)).toEqual(['status', 'binary:3']);
    expect(b.frames[1]).toMatchObject({ kind: 'binary', eventType: 3 });
    expect(b.frames[2]).toEqual({ kind: 'text', message: { type: INVALID_JSON, data: '{not json' } });
  });

  it('reconnect with the same clientId gets the executing hint; the replacement bug can be emulated', async () => {
    const first = await connect('h');
    const id = await post({ prompt: slow(20, 20), client_id: 'h' });
    await fake.waitFor('progress', (e) => e.promptId === id && e.value === 1);
    const second = await connect('h'); // replaces `first` in the routing table
    await second.waitForCount(2);
    expect(second.messages.slice(0, 2)).toEqual([
      { type: 'status', data: { status: { exec_info: { queue_remaining: 1 } }, sid: 'h' } },
      { type: 'executing', data: { node: '2' } },
    ]);
    const firstCount = first.frames.length;
    await fake.waitFor('progress', (e) => e.promptId === id && e.value === 3);
    await first.flush();
    expect(first.frames.length).toBe(firstCount); // the older socket went deaf
    await fetch(`${fake.url}/interrupt`, { method: 'POST' });
    await finished(id);
  });

  it('emulateReplacementBug: the old socket closing unregisters its replacement', async () => {
    await fake.stop();
    fake = await FakeComfyServer.start({ emulateReplacementBug: true });
    const first = await connect('z');
    const second = await connect('z');
    const closed = fake.waitFor('ws-close');
    await first.close();
    await closed;
    await second.waitForCount(1);
    const id = await post({ prompt: tiny(), client_id: 'z' });
    await finished(id);
    await second.flush();
    expect(second.messages.map((m) => m.type)).toEqual(['status']);
  });
});
