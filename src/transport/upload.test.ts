import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { firstValueFrom } from 'rxjs';
import { postMultipart } from './upload';

/** A real HTTP receiver: counts the bytes of each request as they arrive, answers 200 with what it parsed. */
async function receiver(onData: (total: number) => void, keep = false) {
  let body: Buffer | undefined;
  let headers: IncomingMessage['headers'] = {};
  const server = createServer((req, res) => {
    headers = req.headers;
    let total = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (keep) chunks.push(chunk);
      onData(total);
    });
    req.on('end', () => {
      body = Buffer.concat(chunks);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ received: total }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload/image`,
    body: () => body,
    headers: () => headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('postMultipart', () => {
  it('sends fields and the file as multipart/form-data with a Content-Length when the size is known', async () => {
    const server = await receiver(() => undefined, true);
    try {
      const file = Buffer.from('PNG bytes here');
      const answer = await firstValueFrom(
        postMultipart({ url: server.url, headers: {}, fields: [['type', 'input'], ['subfolder', 'a b']], file: { fileName: 'x "1".png', contentType: 'image/png', size: file.length, open: () => Readable.from([file]) }, idleTimeoutMs: 5_000 }),
      );
      expect(answer.status).toBe(200);
      const headers = server.headers();
      expect(Number(headers['content-length'])).toBe(server.body()?.length);
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(headers['content-type']) }, body: server.body() as Uint8Array<ArrayBuffer> }).formData();
      expect([form.get('type'), form.get('subfolder')]).toEqual(['input', 'a b']);
      const image = form.get('image') as File;
      expect([image.name, image.type, Buffer.from(await image.arrayBuffer()).toString()]).toEqual(['x "1".png', 'image/png', 'PNG bytes here']);
    } finally {
      await server.close();
    }
  });

  it('streams with backpressure: the source is never read far ahead of what the server received', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    const total = 48 * 1024 * 1024;
    let received = 0;
    let produced = 0;
    let lead = 0;
    const server = await receiver((bytes) => (received = bytes));
    const source = Readable.from(
      (function* () {
        while (produced < total) {
          produced += chunk.length;
          lead = Math.max(lead, produced - received);
          yield chunk;
        }
      })(),
      { highWaterMark: 1 },
    );
    try {
      const answer = await firstValueFrom(postMultipart({ url: server.url, headers: {}, fields: [], file: { fileName: 'big.bin', contentType: 'application/octet-stream', open: () => source }, idleTimeoutMs: 10_000 }));
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ received: expect.any(Number) as number });
      expect(produced).toBe(total);
      // socket buffers and stream high-water marks only: a buffered upload would lead by the whole 48 MiB
      expect(lead).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
