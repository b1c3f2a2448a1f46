import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { type Observable, filter, firstValueFrom, take, toArray } from 'rxjs';
import { type WebSocket, WebSocketServer, type ServerOptions } from 'ws';
import { ComfyConnectionError } from '../errors';
import { encodeBinaryFrame } from '../protocol/binary';
import type { ComfyMessage } from '../protocol/messages';
import { libLogger } from '../log';
import { type SocketEvent, connectSocket } from './socket';

/** A pino logger writing JSON records into an array. */
function capturingLogger() {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      records.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: libLogger(pino({ level: 'debug' }, stream)), records };
}

const status = (sid?: string) => JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, ...(sid ? { sid } : {}) } });

async function wsServer(options: Partial<ServerOptions> = {}, onConnection?: (socket: WebSocket, url: URL, headers: Record<string, unknown>) => void) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
  await once(server, 'listening');
  const received: string[] = [];
  server.on('connection', (socket, request) => {
    socket.on('message', (data) => received.push(data.toString()));
    onConnection?.(socket, new URL(request.url ?? '/', 'http://x'), request.headers);
  });
  const { port } = server.address() as AddressInfo;
  return { server, port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const messages = (events$: Observable<SocketEvent>, count: number) =>
  firstValueFrom(
    events$.pipe(
      filter((e): e is Extract<SocketEvent, { kind: 'message' }> => e.kind === 'message'),
      take(count),
      toArray(),
    ),
  ).then((events) => events.map((e) => e.message));

describe('connectSocket', () => {
  it('sends our feature flags first, then reports open on the first status with sid', async () => {
    let firstFrame!: Promise<string>;
    const stub = await wsServer({}, (socket, url) => {
      firstFrame = new Promise((resolve) => socket.once('message', (data) => resolve(data.toString())));
      socket.send(status(url.searchParams.get('clientId') ?? undefined));
    });
    try {
      const { logger } = capturingLogger();
      const url = new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=abc`);
      const first = await firstValueFrom(connectSocket({ url, logger }));
      expect(first).toEqual({ kind: 'open', sid: 'abc' });
      expect(JSON.parse(await firstFrame)).toEqual({ type: 'feature_flags', data: { supports_preview_metadata: true } });
    } finally {
      await stub.close();
    }
  });

  it('logs and skips malformed frames (bad JSON, no type, bad payload, truncated binary) and keeps the stream going', async () => {
    const stub = await wsServer({}, (socket) => {
      socket.send(status('c'));
      socket.send('{not json');
      socket.send(JSON.stringify({ data: {} }));
      socket.send(JSON.stringify({ type: 'progress', data: { value: 'half' } }));
      socket.send(Buffer.from([0, 0, 0, 4, 0, 0, 9, 9]), { binary: true }); // type 4 claiming 2313 bytes of metadata
      socket.send(JSON.stringify({ type: 'execution_start', data: { prompt_id: 'p1', timestamp: 1 } }));
    });
    try {
      const { logger, records } = capturingLogger();
      const got = await messages(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger }), 2);
      expect(got.map((m) => m.type)).toEqual(['status', 'execution_start']);
      const skipped = records.filter((r) => r.msg === 'skipped malformed frame');
      expect(skipped).toHaveLength(4);
      expect(skipped.map((r) => (r.err as { type: string }).type)).toEqual(Array(4).fill('ComfyProtocolError'));
      expect(skipped.map((r) => (r.err as { message: string }).message)).toEqual([
        expect.stringMatching(/^Frame is not JSON: .*JSON/), // pino appends the cause (the SyntaxError)
        'Frame lacks {type, data}',
        "Malformed 'progress' message",
        'Binary frame too short for its preview metadata: 8 < 2321 bytes',
      ]);
    } finally {
      await stub.close();
    }
  });

  it('passes unknown message types and unknown binary types through untouched', async () => {
    const stub = await wsServer({}, (socket) => {
      socket.send(status('c'));
      socket.send(JSON.stringify({ type: 'crystools.monitor', data: { cpu_utilization: 12 } }));
      socket.send(Buffer.from([0, 0, 0, 9, 1, 2, 3]), { binary: true });
    });
    try {
      const got = await messages(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger }), 3);
      expect(got.slice(1)).toEqual<ComfyMessage[]>([
        { type: 'unknown', rawType: 'crystools.monitor', data: { cpu_utilization: 12 } },
        { type: 'unknown', rawType: 'binary:9', data: Buffer.from([1, 2, 3]) },
      ]);
    } finally {
      await stub.close();
    }
  });

  it('decodes type-1 and type-4 previews (MIME from the right offset) and type-3 text', async () => {
    const metadata = { node_id: '3', prompt_id: 'p1', display_node_id: '3', parent_node_id: null, real_node_id: '3', image_type: 'image/png' };
    const stub = await wsServer({}, (socket) => {
      socket.send(status('c'));
      socket.send(encodeBinaryFrame({ type: 'preview_image', data: { mime: 'image/png', image: Buffer.from('png1') } }), { binary: true });
      socket.send(encodeBinaryFrame({ type: 'preview_image', data: { mime: 'image/png', image: Buffer.from('png4'), metadata } }), { binary: true });
      socket.send(encodeBinaryFrame({ type: 'progress_text', data: { node: '7', text: 'loading…' } }), { binary: true });
    });
    try {
      const got = await messages(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger }), 4);
      expect(got.slice(1)).toEqual([
        { type: 'preview_image', data: { mime: 'image/png', image: Buffer.from('png1') } },
        { type: 'preview_image', data: { mime: 'image/png', image: Buffer.from('png4'), metadata } },
        { type: 'progress_text', data: { node: '7', text: 'loading…' } },
      ]);
    } finally {
      await stub.close();
    }
  });

  it('fails with ComfyConnectionError when the server accepts the socket but never sends status', async () => {
    const stub = await wsServer();
    try {
      const error = await firstValueFrom(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger, openTimeoutMs: 150 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toBe('ComfyUI socket sent no status within 150 ms');
    } finally {
      await stub.close();
    }
  });

  it('fails with ComfyConnectionError carrying the status when the upgrade is refused (403)', async () => {
    const stub = await wsServer({ verifyClient: (_info: unknown, done: (ok: boolean, code?: number) => void) => done(false, 403) });
    try {
      const error = (await firstValueFrom(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger })).catch((e: unknown) => e)) as ComfyConnectionError;
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect(error.details.status).toBe(403);
      expect(error.url).toBe(`ws://127.0.0.1:${stub.port}/ws`);
    } finally {
      await stub.close();
    }
  });

  it('fails with ComfyConnectionError when the server closes the socket', async () => {
    const stub = await wsServer({}, (socket) => {
      socket.send(status('c'));
      socket.close(1001, 'going away');
    });
    try {
      const error = (await firstValueFrom(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger }).pipe(toArray())).catch((e: unknown) => e)) as ComfyConnectionError;
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect(error.details.closeCode).toBe(1001);
      expect(error.message).toBe('ComfyUI socket closed (1001 going away)');
    } finally {
      await stub.close();
    }
  });

  it('fails when a ping goes unanswered (half-open connection)', async () => {
    const stub = await wsServer({ autoPong: false }, (socket) => socket.send(status('c')));
    try {
      const error = await firstValueFrom(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger, pingIntervalMs: 50 }).pipe(toArray())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toBe('ComfyUI socket did not answer a ping within 50 ms');
    } finally {
      await stub.close();
    }
  });

  it('sends the Authorization header with the upgrade and never logs it', async () => {
    const seen: Record<string, unknown>[] = [];
    const stub = await wsServer({}, (socket, _url, headers) => {
      seen.push(headers);
      socket.send('{bad');
      socket.send(status('c'));
    });
    try {
      const { logger, records } = capturingLogger();
      await messages(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), headers: { Authorization: 'Bearer s3cret' }, logger }), 1);
      expect(seen[0]!.authorization).toBe('Bearer s3cret');
      expect(records.length).toBeGreaterThan(0);
      expect(JSON.stringify(records)).not.toContain('s3cret');
    } finally {
      await stub.close();
    }
  });

  it('refused connection -> ComfyConnectionError with ECONNREFUSED', async () => {
    const stub = await wsServer();
    await stub.close();
    const error = await firstValueFrom(connectSocket({ url: new URL(`ws://127.0.0.1:${stub.port}/ws?clientId=c`), logger: capturingLogger().logger })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});
