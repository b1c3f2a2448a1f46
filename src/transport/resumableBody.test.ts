import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { ComfyConnectionError } from '../errors';
import { saveOutputFile } from '../outputs/saveOutputs';
import { ComfyHttp } from './http';

const silent = pino({ level: 'silent' });
const FILE = Buffer.from('0123456789abcdefghij');
const ref = { filename: 'big.png', subfolder: '', type: 'output' };

/** Answers /view with FILE; `breakAfter` bytes into the first full answer, the connection drops. */
function fileServer(options: { ranges: boolean; breakAfter: number; etag?: (call: number) => string }) {
  const requests: IncomingMessage['headers'][] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.headers);
    const call = requests.length;
    const etag = options.etag?.(call) ?? '"v1"';
    const base = { 'Content-Type': 'image/png', ETag: etag, ...(options.ranges ? { 'Accept-Ranges': 'bytes' } : {}) };
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && options.ranges && req.headers['if-range'] === etag) {
      const start = Number(range[1]);
      res.writeHead(206, { ...base, 'Content-Length': FILE.length - start, 'Content-Range': `bytes ${start}-${FILE.length - 1}/${FILE.length}` });
      res.end(FILE.subarray(start));
      return;
    }
    res.writeHead(200, { ...base, 'Content-Length': FILE.length });
    if (call > 1) {
      res.end(FILE);
      return;
    }
    res.write(FILE.subarray(0, options.breakAfter), () => res.socket?.destroy());
  });
  server.listen(0, '127.0.0.1');
  return {
    requests,
    ready: once(server, 'listening'),
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('view: a body that breaks off', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'comfyrx-resume-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is resumed with Range and If-Range where the server allows it: the whole file lands', async () => {
    const server = fileServer({ ranges: true, breakAfter: 7 });
    await server.ready;
    try {
      const http = new ComfyHttp({ url: server.url(), logger: silent, retry: { initialDelayMs: 1, jitter: 0 } });
      const written = await lastValueFrom(saveOutputFile(http, ref, join(dir, 'big.png'), 'rename'));
      expect(await readFile(written.path)).toEqual(FILE);
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1]).toMatchObject({ range: 'bytes=7-', 'if-range': '"v1"' });
    } finally {
      await server.close();
    }
  });

  it('errors without ranges, and the partial file never lands', async () => {
    const server = fileServer({ ranges: false, breakAfter: 7 });
    await server.ready;
    try {
      const http = new ComfyHttp({ url: server.url(), logger: silent, retry: { initialDelayMs: 1, jitter: 0 } });
      const error = await lastValueFrom(saveOutputFile(http, ref, join(dir, 'big.png'), 'rename')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect(await readdir(dir)).toEqual([]);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('errors when the file changed in between (If-Range fails, the server sends it whole): nothing lands', async () => {
    const server = fileServer({ ranges: true, breakAfter: 7, etag: (call) => `"v${call}"` });
    await server.ready;
    try {
      const http = new ComfyHttp({ url: server.url(), logger: silent, retry: { initialDelayMs: 1, jitter: 0 } });
      const error = await lastValueFrom(saveOutputFile(http, ref, join(dir, 'big.png'), 'rename')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toMatch(/cannot be resumed/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('the stream a caller reads is the whole file, once', async () => {
    const server = fileServer({ ranges: true, breakAfter: 3 });
    await server.ready;
    try {
      const http = new ComfyHttp({ url: server.url(), logger: silent });
      const view = await firstValueFrom(http.view(ref));
      const chunks: Buffer[] = [];
      for await (const chunk of view.body) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks)).toEqual(FILE);
      expect(view.contentLength).toBe(FILE.length);
    } finally {
      await server.close();
    }
  });
});

