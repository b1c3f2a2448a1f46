import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { firstValueFrom } from 'rxjs';
import { ComfyConnectionError } from '../errors';
import { ComfyHttp } from './http';
import { nodeAgents, nodeRequest } from './nodeRequest';

describe('nodeRequest (JSON calls over node:http with a keep-alive pool)', () => {
  it('answers like fetch: status, headers, the whole body (sent in chunks, BOM dropped), and the POST body with its length', async () => {
    const received: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push(`${request.method} ${request.url} ${request.headers['content-length']} ${body}`);
        response.writeHead(201, { 'Content-Type': 'application/json', 'Retry-After': '3' });
        response.write('\uFEFF{"a":');
        setImmediate(() => response.end('[1,2]}'));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agents = nodeAgents();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prompt`;
      const answer = await nodeRequest(url, 'POST', { 'Content-Type': 'application/json' }, '{"é":1}', agents);
      expect([answer.status, answer.ok, answer.headers.get('Retry-After'), answer.headers.get('x-none')]).toEqual([201, true, '3', null]);
      expect(JSON.parse(await answer.text())).toEqual({ a: [1, 2] });
      expect(received).toEqual(['POST /prompt 8 {"é":1}']);
    } finally {
      agents.http.destroy();
      server.close();
    }
  });

  it('keeps one connection for calls in sequence', async () => {
    let connections = 0;
    const server = createServer((_request, response) => response.end('{}'));
    server.on('connection', () => connections++);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const http = new ComfyHttp({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logger: pino({ level: 'silent' }) });
    try {
      for (let i = 0; i < 5; i++) await firstValueFrom(http.history(`p${i}`));
      expect(connections).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a refused connection is a ComfyConnectionError naming the cause', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve())); // nothing listens there now
    const http = new ComfyHttp({ url: `http://127.0.0.1:${port}`, logger: pino({ level: 'silent' }), retry: { maxAttempts: 0 } });
    const error = await firstValueFrom(http.queue()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toBe('Cannot reach ComfyUI (GET /queue): ECONNREFUSED');
  });
});
