import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PNG } from 'pngjs';
import { firstValueFrom, lastValueFrom, merge, toArray } from 'rxjs';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from '../testing/FakeComfyServer';
import { ComfyInputError } from './errors';

function png(width: number, height: number, rgba: readonly number[]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) image.data.set(rgba, i);
  return PNG.sync.write(image);
}

/** A real HTTP server for URL sources: `/photo.png`, `/moved` (302 to it), anything else 404. */
async function fileServer(files: Record<string, Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { Location: '/photo.png' }).end();
      return;
    }
    const body = files[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('comfy.upload', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  let dir: string;
  let requests: string[];
  const red = png(8, 8, [200, 40, 40, 255]);
  const green = png(8, 8, [40, 200, 40, 255]);

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url });
    dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-upload-'));
    requests = [];
    fake.events.on('http', ({ method, path }) => requests.push(`${method} ${path}`));
  });
  afterEach(async () => {
    comfy.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const uploads = () => requests.filter((request) => request.startsWith('POST /upload/')).length;
  const stored = (path: string) => fake.listFiles('input').find((file) => file.path === path)?.bytes;

  it('stores a file under its content hash in comfyui-rx/, byte for byte, with the widget value', async () => {
    writeFileSync(join(dir, 'photo.png'), red);
    const file = await firstValueFrom(comfy.upload(join(dir, 'photo.png')));
    expect(file).toEqual({ name: expect.stringMatching(/^[0-9a-f]{32}\.png$/), subfolder: 'comfyui-rx', type: 'input', value: `comfyui-rx/${file.name}` });
    expect(stored(file.value)?.equals(red)).toBe(true);
  });

  it('uploads the same content once: from a path, then bytes, a Blob and a stream are the same file', async () => {
    writeFileSync(join(dir, 'photo.png'), red);
    const fromPath = await firstValueFrom(comfy.upload(join(dir, 'photo.png')));
    const fromBytes = await firstValueFrom(comfy.upload(new Uint8Array(red)));
    const fromBlob = await firstValueFrom(comfy.upload(new Blob([new Uint8Array(red)])));
    const fromStream = await firstValueFrom(comfy.upload(Readable.from([red.subarray(0, 10), red.subarray(10)])));
    expect(new Set([fromPath.value, fromBytes.value, fromBlob.value, fromStream.value]).size).toBe(1);
    expect(uploads()).toBe(1);
    expect(requests.filter((request) => request === 'HEAD /view')).toHaveLength(1); // remembered after the first
  });

  it('asks HEAD /view before sending: a file another client placed is not sent again', async () => {
    await firstValueFrom(new ComfyClient({ url: fake.url }).upload(red));
    requests.length = 0;
    const file = await firstValueFrom(comfy.upload(red));
    expect(requests).toEqual(['HEAD /view']);
    expect(stored(file.value)?.equals(red)).toBe(true);
  });

  it('makes one request for concurrent uploads of the same bytes', async () => {
    const all = await lastValueFrom(merge(...Array.from({ length: 20 }, () => comfy.upload(red))).pipe(toArray()));
    expect(new Set(all.map((file) => file.value)).size).toBe(1);
    expect(uploads()).toBe(1);
    expect(requests.filter((request) => request === 'HEAD /view')).toHaveLength(1);
  });

  it('dedupe: false keeps the name, and the server renames other bytes "name (1).png"', async () => {
    const first = await firstValueFrom(comfy.upload(red, { dedupe: false, name: 'pic.png' }));
    const again = await firstValueFrom(comfy.upload(red, { dedupe: false, name: 'pic.png' }));
    const other = await firstValueFrom(comfy.upload(green, { dedupe: false, name: 'pic.png' }));
    expect([first.value, again.value, other.value]).toEqual(['pic.png', 'pic.png', 'pic (1).png']);
    expect(uploads()).toBe(3);
    const sub = await firstValueFrom(comfy.upload(green, { dedupe: false, name: 'pic.png', subfolder: 'mine', overwrite: true }));
    expect(sub.value).toBe('mine/pic.png');
  });

  it('takes any media type by the same route (the type from the name, else from the bytes)', async () => {
    const wav = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(32)]);
    const audio = await firstValueFrom(comfy.upload(wav));
    const video = await firstValueFrom(comfy.upload(Buffer.from('....ftypisom....'), { name: 'clip.mp4' }));
    expect([audio.name.slice(-4), video.name.slice(-4)]).toEqual(['.wav', '.mp4']);
    expect(stored(audio.value)?.equals(wav)).toBe(true);
  });

  it('streams an http(s) URL (redirects followed); a URL answering 404 is a url-failed ComfyInputError', async () => {
    const files = await fileServer({ '/photo.png': red });
    try {
      const fromUrl = await firstValueFrom(comfy.upload(`${files.url}/moved`));
      expect(stored(fromUrl.value)?.equals(red)).toBe(true);
      const named = await firstValueFrom(comfy.upload(`${files.url}/photo.png`, { dedupe: false }));
      expect(named.value).toBe('photo.png');
      const missing = await firstValueFrom(comfy.upload(`${files.url}/nope.png?token=secret`)).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(ComfyInputError);
      expect(missing).toMatchObject({ reason: 'url-failed', source: `${files.url}/nope.png` });
      expect((missing as Error).message).toMatch(/answered 404/);
      expect((missing as Error).message).not.toMatch(/secret/);
    } finally {
      await files.close();
    }
  });

  it('fails a missing or unreadable path with a typed error, sending nothing', async () => {
    const missing = await firstValueFrom(comfy.upload(join(dir, 'nope.png'))).catch((error: unknown) => error);
    expect(missing).toMatchObject({ name: 'ComfyInputError', reason: 'not-found', source: join(dir, 'nope.png') });
    mkdirSync(join(dir, 'folder.png'));
    const folder = await firstValueFrom(comfy.upload(join(dir, 'folder.png'))).catch((error: unknown) => error);
    expect(folder).toMatchObject({ name: 'ComfyInputError', reason: 'unreadable' });
    expect(requests).toEqual([]);
  });

  it('checks its options at call time', () => {
    expect(() => comfy.upload(red, { name: '../x.png' })).toThrow(ComfyOptionsError);
    expect(() => comfy.upload(red, { type: 'models' as 'input' })).toThrow(/type/);
  });

  describe('too large for the server', () => {
    let small: FakeComfyServer;
    let client: ComfyClient;
    beforeEach(async () => {
      small = await FakeComfyServer.start({ maxUploadBytes: 1024 });
      client = new ComfyClient({ url: small.url });
    });
    afterEach(async () => {
      client.close();
      await small.stop();
    });

    it('refuses a file over max_upload_size before sending it', async () => {
      const seen: string[] = [];
      small.events.on('http', ({ method, path }) => seen.push(`${method} ${path}`));
      const error = await firstValueFrom(client.upload(Buffer.alloc(2048, 1))).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'ComfyInputError', reason: 'too-large' });
      expect((error as Error).message).toMatch(/2048 bytes, over the server's max_upload_size of 1024/);
      expect(seen).not.toContain('POST /upload/image');
      expect(small.listFiles('input')).toEqual([]);
    });

    it("maps the server's own 413 to too-large (a proxy hiding /features; the upload through an injected fetch)", async () => {
      const hiding: typeof fetch = (input, init) => (String(input).endsWith('/features') ? Promise.resolve(new Response('404: Not Found', { status: 404 })) : fetch(input, init));
      const proxied = new ComfyClient({ url: small.url, fetch: hiding });
      try {
        const error = await firstValueFrom(proxied.upload(Buffer.alloc(2048, 1))).catch((caught: unknown) => caught);
        expect(error).toMatchObject({ name: 'ComfyInputError', reason: 'too-large' });
        expect((error as Error).message).toMatch(/refused it as too large \(413/);
        expect(small.listFiles('input')).toEqual([]);
        const fits = await firstValueFrom(proxied.upload(Buffer.alloc(512, 2)));
        expect(small.listFiles('input').map((file) => file.path)).toEqual([fits.value]);
      } finally {
        proxied.close();
      }
    });

    it('stops a stream of unknown size once it passes the limit', async () => {
      const error = await firstValueFrom(client.upload(Readable.from([Buffer.alloc(800, 1), Buffer.alloc(800, 2)]), { dedupe: false, name: 'big.bin' })).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'ComfyInputError', reason: 'too-large' });
      expect(small.listFiles('input')).toEqual([]);
    });
  });

  it('aborts when unsubscribed: the source is released and nothing is stored', async () => {
    let pulled = 0;
    let reading!: () => void;
    let release!: () => void;
    const readingWell = new Promise<void>((resolve) => (reading = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const endless = new Readable({
      read() {
        if (++pulled === 8) reading(); // the request is on its way: the body is being read
        this.push(Buffer.alloc(16 * 1024, 7));
      },
      destroy(error, callback) {
        release();
        callback(error);
      },
    });
    const subscription = comfy.upload(endless, { dedupe: false, name: 'endless.bin' }).subscribe();
    await readingWell;
    subscription.unsubscribe();
    await released;
    expect(fake.listFiles('input')).toEqual([]);
  });

  describe('masks', () => {
    const original = png(8, 8, [0, 0, 100, 255]);
    const maskPng = (() => {
      const image = new PNG({ width: 8, height: 8 });
      for (let i = 0; i < image.data.length; i += 4) image.data.set([0, 0, 0, i < 32 ? 0 : 255], i);
      return PNG.sync.write(image);
    })();

    it('puts the mask onto an UploadedFile: the original pixels with the mask alpha, a new file', async () => {
      const photo = await firstValueFrom(comfy.upload(original));
      const masked = await firstValueFrom(comfy.upload(maskPng, { mask: { original: photo } }));
      expect(masked.value).toMatch(/^comfyui-rx\/mask-[0-9a-f]{32}\.png$/);
      const result = PNG.sync.read(stored(masked.value) as Buffer);
      expect([...result.data.subarray(0, 4)]).toEqual([0, 0, 100, 0]);
      expect([...result.data.subarray(32, 36)]).toEqual([0, 0, 100, 255]);
      requests.length = 0;
      expect((await firstValueFrom(comfy.upload(maskPng, { mask: { original: photo } }))).value).toBe(masked.value);
      expect(requests).toEqual([]); // remembered
    });

    it('puts the mask onto an image named by its stored name', async () => {
      await firstValueFrom(comfy.upload(original, { dedupe: false, name: 'orig.png' }));
      const masked = await firstValueFrom(comfy.upload(maskPng, { mask: { original: 'orig.png' }, dedupe: false, name: 'orig-mask.png' }));
      expect(masked.value).toBe('orig-mask.png');
      expect([...PNG.sync.read(stored('orig-mask.png') as Buffer).data.subarray(0, 4)]).toEqual([0, 0, 100, 0]);
    });

    it('fails with mask-original-missing when the server lacks the original, sending nothing', async () => {
      const error = await firstValueFrom(comfy.upload(maskPng, { mask: { original: 'nowhere.png' } })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ComfyInputError);
      expect(error).toMatchObject({ reason: 'mask-original-missing' });
      expect((error as Error).message).toMatch(/nowhere\.png/);
      expect(requests.filter((request) => request.startsWith('POST'))).toEqual([]);
    });
  });
});
