import WebSocket from 'ws';
import type { ObservedFrame } from './traces';

/** An upgrade the server answered with an HTTP status instead of 101. */
export class ComfySocketRefusedError extends Error {
  constructor(readonly status: number) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
    this.name = 'ComfySocketRefusedError';
  }
}

/** `message.type` of a text frame that is not JSON (its text is in `data`). */
export const INVALID_JSON = '<invalid-json>';

function observe(data: WebSocket.RawData, isBinary: boolean): ObservedFrame {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  if (!isBinary) {
    const text = bytes.toString('utf8');
    try {
      return { kind: 'text', message: JSON.parse(text) as { type: string; data: unknown } };
    } catch {
      return { kind: 'text', message: { type: INVALID_JSON, data: text } };
    }
  }
  const eventType = bytes.readUInt32BE(0);
  if (eventType === 4) {
    const length = bytes.readUInt32BE(4);
    const metadata = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
    return { kind: 'binary', eventType, length: bytes.length, metadata, image: bytes.subarray(8 + length) };
  }
  if (eventType === 1) return { kind: 'binary', eventType, length: bytes.length, imageType: bytes.readUInt32BE(4), image: bytes.subarray(8) };
  return { kind: 'binary', eventType, length: bytes.length, image: bytes.subarray(4) };
}

/**
 * A raw `ws` client that records every frame it receives, for tests against the fake (or a real
 * server): wait for frames by count or predicate, flush with a ping round trip, close cleanly.
 * @example
 * const socket = await RecordingSocket.open(`${fake.url.replace('http', 'ws')}/ws?clientId=me`);
 * await socket.waitFor((f) => f.kind === 'text' && f.message.type === 'executing');
 */
export class RecordingSocket {
  /** Everything received so far, in order. */
  readonly frames: ObservedFrame[] = [];
  /** Resolves with the close code when the socket closes (either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.frames.push(observe(data, isBinary));
      for (const listener of [...this.listeners]) listener();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.closed.then(() => {
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Opens a socket; rejects with {@link ComfySocketRefusedError} when the upgrade is answered with a status. */
  static open(url: string, options: { headers?: Record<string, string> } = {}): Promise<RecordingSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: options.headers });
      const socket = new RecordingSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        reject(new ComfySocketRefusedError(response.statusCode ?? 0));
        ws.terminate();
      });
      ws.on('error', (error) => reject(error));
    });
  }

  /** JSON messages received so far (binary frames left out). */
  get messages(): { type: string; data: unknown }[] {
    return this.frames.flatMap((frame) => (frame.kind === 'text' ? [frame.message] : []));
  }

  /** Sends a JSON text frame. */
  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /**
   * Resolves with the first frame at index >= `from` matching `predicate` (already received or future).
   * @throws Error after `timeoutMs`, or when the socket closes first.
   */
  waitFor(predicate: (frame: ObservedFrame) => boolean, { from = 0, timeoutMs = 5_000 } = {}): Promise<ObservedFrame> {
    return this.until(() => this.frames.slice(from).find(predicate), timeoutMs, 'a matching frame');
  }

  /** Resolves once `count` frames have arrived. */
  waitForCount(count: number, timeoutMs = 5_000): Promise<void> {
    return this.until(() => (this.frames.length >= count ? true : undefined), timeoutMs, `${count} frames (have ${this.frames.length})`).then(() => undefined);
  }

  /** Ping round trip: every frame the server sent before our ping has arrived when this resolves. */
  flush(timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), timeoutMs);
      this.ws.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.ping();
    });
  }

  /** Closes with 1000 and waits for the close handshake (terminates if the server does not answer in time). */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), timeoutMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** Closes abruptly (no close frame), like a dropped connection. */
  terminate(): void {
    this.ws.terminate();
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }
}
