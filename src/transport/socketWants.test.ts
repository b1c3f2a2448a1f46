import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { WebSocketServer } from 'ws';
import { libLogger } from '../log';
import { type Frame, framePromptId } from '../protocol/messages';
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

describe('connectSocket with `wants` (frames validated only when someone reads them)', () => {
  it('drops the frames it declines without validating them, and validates the others', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'c' } })); // always read: it opens the socket
      socket.send(JSON.stringify({ type: 'progress', data: { value: 'half', max: 2, prompt_id: 'other' } })); // malformed, declined
      socket.send(JSON.stringify({ type: 'execution_start', data: { prompt_id: 'other', timestamp: 1 } })); // declined
      socket.send(JSON.stringify({ type: 'progress', data: { value: 'half', max: 2, prompt_id: 'mine' } })); // malformed, read
      socket.send(JSON.stringify({ type: 'execution_start', data: { prompt_id: 'mine', timestamp: 1 } }));
    });
    const { port } = server.address() as AddressInfo;
    try {
      const { logger, records } = capturingLogger();
      const declined: string[] = [];
      const wants = (frame: Frame) => {
        const mine = framePromptId(frame) === 'mine';
        if (!mine) declined.push(`${frame.type} ${framePromptId(frame)}`);
        return mine;
      };
      const events$ = connectSocket({ url: new URL(`ws://127.0.0.1:${port}/ws?clientId=c`), logger, wants });
      const got = await firstValueFrom(
        events$.pipe(
          filter((e): e is Extract<SocketEvent, { kind: 'message' }> => e.kind === 'message'),
          take(2),
          toArray(),
        ),
      );
      expect(got.map((e) => e.message)).toEqual([
        { type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'c' } },
        { type: 'execution_start', data: { prompt_id: 'mine', timestamp: 1 } },
      ]);
      expect(declined).toEqual(['progress other', 'execution_start other']);
      const skipped = records.filter((r) => r.msg === 'skipped malformed frame');
      expect(skipped.map((r) => (r.err as { message: string }).message)).toEqual(["Malformed 'progress' message"]); // mine only
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
