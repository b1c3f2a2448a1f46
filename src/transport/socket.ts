import WebSocket from 'ws';
import { Observable, type SchedulerAction, type SchedulerLike, type Subscription, asyncScheduler } from 'rxjs';
import { CLIENT_FEATURE_FLAGS, DEFAULT_OPEN_TIMEOUT_MS, DEFAULT_PING_INTERVAL_MS, MAX_FRAME_BYTES } from '../constants';
import { ComfyConnectionError, ComfyProtocolError } from '../errors';
import type { Logger } from '../log';
import { decodeBinaryFrame } from '../protocol/binary';
import type { ComfyMessage, Frame } from '../protocol/messages';
import { textFrameMessage } from './textFrame';

/** What one socket connection emits: `open` once the server's first `status` (with `sid`) arrived, then messages. */
export type SocketEvent = { readonly kind: 'open'; readonly sid: string } | { readonly kind: 'message'; readonly message: ComfyMessage };

/** The `ws` constructor, or a compatible one (tests). */
export type WebSocketConstructor = typeof WebSocket;

export interface SocketOptions {
  /** `ws(s)://host/prefix/ws?clientId=...` */
  url: URL;
  /** Sent with the upgrade request (e.g. `Authorization`). Never logged. */
  headers?: Readonly<Record<string, string>>;
  logger: Logger;
  WebSocket?: WebSocketConstructor;
  /** Time from subscription to the first `status` with `sid`; past it the connection fails. */
  openTimeoutMs?: number;
  /** Client ping period; a ping unanswered by the next one ends the connection. 0 disables. */
  pingIntervalMs?: number;
  scheduler?: SchedulerLike;
  /**
   * Once open, whether anyone reads a text frame (its type and JSON known, its payload not yet
   * validated): frames it declines are dropped unvalidated. Default: every frame is validated.
   */
  wants?: (frame: Frame) => boolean;
}

/**
 * One WebSocket connection to ComfyUI as a cold Observable (opens on subscribe, closes on unsubscribe).
 * Sends our feature flags as the first frame, parses and validates every frame someone reads (see
 * `wants`; a malformed one is logged and skipped, it never ends the stream), and emits
 * `{kind: 'open', sid}` when the server's first `status` arrives (docs/protocol.md rule 2: only then
 * may prompts be posted). Any close, error, refused
 * upgrade (e.g. 403), missing `status` within `openTimeoutMs` or unanswered ping errors the stream
 * with a {@link ComfyConnectionError}; reconnecting is the caller's business.
 */
export function connectSocket(options: SocketOptions): Observable<SocketEvent> {
  const { url, headers, logger, WebSocket: Ctor = WebSocket, scheduler = asyncScheduler, wants } = options;
  const openTimeoutMs = options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  const log = logger.child({ component: 'socket' });
  return new Observable<SocketEvent>((subscriber) => {
    const ws = new Ctor(url, { headers: { ...headers }, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
    let opened = false;
    let awaitingPong = false;
    let pinger: Subscription | undefined;
    const fail = (message: string, details: ConstructorParameters<typeof ComfyConnectionError>[2] = {}, cause?: unknown): void => {
      subscriber.error(new ComfyConnectionError(message, url, details, cause === undefined ? undefined : { cause }));
    };

    const openTimer = scheduler.schedule(() => fail(`ComfyUI socket sent no status within ${openTimeoutMs} ms`), openTimeoutMs);

    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'feature_flags', data: CLIENT_FEATURE_FLAGS }));
      if (pingIntervalMs > 0) {
        pinger = scheduler.schedule(function ping(this: SchedulerAction<undefined>) {
          if (awaitingPong) {
            fail(`ComfyUI socket did not answer a ping within ${pingIntervalMs} ms`);
            return;
          }
          awaitingPong = true;
          ws.ping();
          this.schedule(undefined, pingIntervalMs);
        }, pingIntervalMs);
      }
    });
    ws.on('pong', () => {
      awaitingPong = false;
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      let message: ComfyMessage | undefined;
      try {
        // once open, a text frame nobody reads is neither validated nor emitted
        message = isBinary ? decodeBinaryFrame(toBuffer(data)) : textFrameMessage(data.toString(), opened ? wants : undefined);
      } catch (err) {
        if (err instanceof ComfyProtocolError) {
          log.warn({ err }, 'skipped malformed frame');
          return;
        }
        throw err;
      }
      if (!message) return;
      if (!opened && message.type === 'status' && message.data.sid) {
        opened = true;
        openTimer.unsubscribe();
        subscriber.next({ kind: 'open', sid: message.data.sid });
      }
      subscriber.next({ kind: 'message', message });
    });
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      ws.terminate();
      fail(`ComfyUI refused the socket: HTTP ${status}`, { status });
    });
    ws.on('error', (cause: Error) => fail(`ComfyUI socket failed: ${describe(cause)}`, {}, cause));
    ws.on('close', (code: number, reason: Buffer) =>
      fail(`ComfyUI socket closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`, { closeCode: code }),
    );

    return () => {
      openTimer.unsubscribe();
      pinger?.unsubscribe();
      ws.removeAllListeners();
      ws.on('error', () => undefined); // close() while CONNECTING emits 'error' on the next tick
      if (ws.readyState === ws.OPEN) ws.close(1000);
      else ws.terminate();
    };
  });
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code} ${error.message}` : error.message;
}
