import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { FakeComfyServer } from '../../testing/FakeComfyServer';

const image = (prefix: string) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
});
const stall = (seconds: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'Stall', inputs: { image: ['1', 0], seconds, interruptible: true } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'stall' } },
});

describe('ComfyClient on the native surface', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  afterEach(async () => {
    comfy?.close();
    await fake.stop();
  });

  it("puts the partner-node key in extra_data.api_key_comfy_org (the run's over the client's), never in a log", async () => {
    fake = await FakeComfyServer.start();
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const bodies: string[] = [];
    const spy: typeof fetch = (input, init) => {
      if (String(input).endsWith('/prompt') && typeof init?.body === 'string') bodies.push(init.body);
      return fetch(input, init);
    };
    comfy = new ComfyClient({ url: fake.url, apiKey: 'client-key-1', logger, fetch: spy });
    const first = await lastValueFrom(comfy.run(image('k1')));
    await lastValueFrom(comfy.run(image('k2'), { apiKey: 'run-key-2' }));
    expect(bodies.map((body) => (JSON.parse(body) as { extra_data: { api_key_comfy_org?: string } }).extra_data.api_key_comfy_org)).toEqual(['client-key-1', 'run-key-2']);
    expect(JSON.stringify(fake.historyOf(first.type === 'done' ? first.promptId : ''))).not.toContain('client-key-1');
    expect(lines.join('')).not.toMatch(/client-key-1|run-key-2/);
  });

  it('cancel(promptId) answers whether the prompt really stopped', async () => {
    const ids = { runs: randomUUID(), waits: randomUUID(), finished: randomUUID(), nobody: randomUUID() };
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url });
    const running = comfy.run(stall(20), { promptId: ids.runs }).subscribe({ error: () => undefined });
    await fake.waitFor('prompt-started', (e) => e.promptId === ids.runs);
    const queued = comfy.run(image('q'), { promptId: ids.waits }).subscribe({ error: () => undefined });
    await fake.waitFor('prompt-queued', (e) => e.promptId === ids.waits);
    expect(await firstValueFrom(comfy.cancel(ids.waits))).toEqual({ promptId: ids.waits, stopped: true, state: 'cancelled' });
    expect(await firstValueFrom(comfy.cancel(ids.runs))).toEqual({ promptId: ids.runs, stopped: true, state: 'cancelled' });
    const done = await lastValueFrom(comfy.run(image('f'), { promptId: ids.finished }));
    expect(done.type).toBe('done');
    expect(await firstValueFrom(comfy.cancel(ids.finished))).toEqual({ promptId: ids.finished, stopped: true, state: 'finished' });
    expect(await firstValueFrom(comfy.cancel(ids.nobody))).toEqual({ promptId: ids.nobody, stopped: true, state: 'unknown' });
    running.unsubscribe();
    queued.unsubscribe();
  });
});
