import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { ComfyClient } from '../client';
import { ComfyConnectionError } from '../errors';
import { checkServer } from './checkServer';

describe('checkServer', () => {
  it('probes a dead server once, whatever the client retry policy: a refused connection is not retried', async () => {
    let calls = 0;
    const refused: typeof fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    };
    // reads of this client would be retried 3 times: the probe is not
    const client = new ComfyClient({ url: 'http://127.0.0.1:9', fetch: refused, lingerMs: 0, retry: { initialDelayMs: 0, maxAttempts: 3 } });
    try {
      const error = await checkServer(client, 10_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toMatch(/^Cannot reach ComfyUI at http:\/\/127\.0\.0\.1:9\//);
      expect(calls).toBe(1);
    } finally {
      client.close();
    }
  });

  it('gives up on a port that accepts and never answers, saying after how long', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket)); // accepts, reads, never answers
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ComfyClient({ url, lingerMs: 0 });
    try {
      const error = await checkServer(client, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toBe(`Cannot reach ComfyUI at ${url}/: no answer within 0.3 s (--connect-timeout)`);
      expect(sockets).toHaveLength(1);
    } finally {
      client.close();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it.each([
    ['a 404', 404, 'text/html', '<h1>Not Found</h1>', /GET \/prompt answered 404$/],
    ['an HTML page', 200, 'text/html', '<html><body>Welcome to nginx!</body></html>', /GET \/prompt answered what ComfyUI does not/],
  ])('a web server that is not ComfyUI (%s) cannot be used: ComfyConnectionError', async (_name, status, type, body, message) => {
    const server = createHttpServer((_req, res) => res.writeHead(status, { 'Content-Type': type }).end(body));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ComfyClient({ url, lingerMs: 0 });
    try {
      const error = await checkServer(client, 10_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toMatch(new RegExp(`^The server at ${url}/ is not a ComfyUI server we can use: `));
      expect((error as Error).message).toMatch(message);
    } finally {
      client.close();
      server.close();
      server.closeAllConnections();
    }
  });
});
