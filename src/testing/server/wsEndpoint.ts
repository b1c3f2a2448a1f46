import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { encodeBinaryFrame, type BinaryMessage, type KnownMessage } from '../../protocol';
import { asciiJson } from '../engine/python';
import type { FakeServerEmitter } from '../fakeServerEvents';

/** aiohttp's default inbound message limit (client -> server). */
const MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

/** A message the fake sends (JSON or binary): what `swallow` predicates look at. */
export type OutgoingMessage = KnownMessage | BinaryMessage;

interface Connection {
  readonly ws: WebSocket;
  /** The TCP socket under `ws`: corked during a burst of sends (one syscall per burst, not per frame). */
  readonly socket: Duplex;
  readonly sid: string;
  /** The `clientId` query value (`''` when the client gave none). */
  readonly clientId: string;
  /** Accepted while muted: never gets a frame. */
  readonly muted: boolean;
  flags: Record<string, unknown>;
  flagWindowOpen: boolean;
}

/** What the endpoint needs from the rest of the server. */
export interface WsEndpointDeps {
  readonly events: FakeServerEmitter;
  readonly logger: Logger;
  readonly serverFlags: () => Record<string, unknown>;
  /** `queue_remaining` for the on-connect `status`. */
  readonly queueRemaining: () => number;
  /** The node to announce in the reconnect hint for this sid, if its prompt is running a node. */
  readonly reconnectHint: (sid: string) => string | undefined;
  /** Reproduce docs/protocol.md §2.5: a closing old socket unregisters its replacement. */
  readonly emulateReplacementBug: boolean;
}

/**
 * The fake's `/ws` endpoint (the server side of the clients' sockets): the `sid -> socket` table ComfyUI keeps, routing (targeted,
 * broadcast, dropped for absent sids), feature-flag negotiation, and the socket fault knobs.
 */
export class WsEndpoint {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_MESSAGE_BYTES, perMessageDeflate: false });
  private readonly registry = new Map<string, Connection>();
  private readonly open = new Set<Connection>();
  private readonly swallowers = new Set<(message: OutgoingMessage) => boolean>();
  /** In-process clients (the v2 surface): sid -> listener; they receive what a socket of that sid would. */
  private readonly listeners = new Map<string, (message: OutgoingMessage) => void>();
  private readonly refusals: number[] = [];
  private muteCount = 0;
  connectionsTotal = 0;

  constructor(private readonly deps: WsEndpointDeps) {}

  /** Open sockets (registered or not). */
  get openCount(): number {
    return this.open.size;
  }

  /** The HTTP status WS upgrades are refused with right now, if any. */
  get refusalStatus(): number | undefined {
    return this.refusals[this.refusals.length - 1];
  }

  /** Completes an upgrade the server already accepted (path, auth and guards checked). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, clientId: string): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, clientId));
  }

  private accept(ws: WebSocket, socket: Duplex, clientId: string): void {
    const sid = clientId || randomBytes(16).toString('hex');
    const connection: Connection = { ws, socket, sid, clientId, muted: this.muteCount > 0, flags: {}, flagWindowOpen: true };
    this.registry.set(sid, connection); // an older socket with this sid stays open but unaddressed
    this.open.add(connection);
    this.connectionsTotal++;
    ws.on('error', (err) => this.deps.logger.debug({ err, sid }, 'socket error'));
    ws.on('message', (data, isBinary) => this.onClientFrame(connection, data, isBinary));
    ws.on('close', () => {
      this.open.delete(connection);
      if (this.deps.emulateReplacementBug || this.registry.get(sid) === connection) this.registry.delete(sid);
      this.deps.events.emit('ws-close', { clientId, sid });
    });
    this.deliver(connection, { type: 'status', data: { status: { exec_info: { queue_remaining: this.deps.queueRemaining() } }, sid } });
    const hint = this.deps.reconnectHint(sid);
    if (hint !== undefined) this.deliver(connection, { type: 'executing', data: { node: hint } });
    this.deps.events.emit('ws-open', { clientId, sid });
  }

  private onClientFrame(connection: Connection, data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary || !connection.flagWindowOpen) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      this.deps.logger.warn({ sid: connection.sid }, 'invalid JSON from client');
      return; // does not close the negotiation window
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    connection.flagWindowOpen = false;
    const { type, data: flags } = message as { type?: unknown; data?: unknown };
    if (type !== 'feature_flags' || typeof flags !== 'object' || flags === null) return;
    connection.flags = flags as Record<string, unknown>;
    this.deliver(connection, { type: 'feature_flags', data: this.deps.serverFlags() });
  }

  /** Whether the socket registered for `sid` negotiated `supports_preview_metadata: true`. */
  supportsPreviewMetadata(sid: string): boolean {
    return this.listeners.has(sid) || this.registry.get(sid)?.flags.supports_preview_metadata === true;
  }

  /**
   * Registers an in-process client under `sid` (as a socket that negotiated preview metadata): it
   * gets the messages sent to `sid` and every broadcast, as objects, after `swallow`. Returns an undo.
   */
  listen(sid: string, listener: (message: OutgoingMessage) => void): () => void {
    this.listeners.set(sid, listener);
    return () => {
      if (this.listeners.get(sid) === listener) this.listeners.delete(sid);
    };
  }

  /** Sends a JSON message to `sid` (dropped if absent) or, with `null`, to every registered socket. */
  send(sid: string | null, message: OutgoingMessage): void {
    if (this.swallowers.size > 0 && this.swallowed(message)) return;
    if (this.listeners.size > 0) {
      if (sid === null) for (const listener of this.listeners.values()) listener(message);
      else this.listeners.get(sid)?.(message);
    }
    const encode = () => (message.type === 'preview_image' || message.type === 'progress_text' ? encodeBinaryFrame(message) : asciiJson(JSON.stringify(message)));
    if (sid === null) {
      if (this.registry.size === 0) return;
      const payload = encode();
      for (const connection of this.registry.values()) this.write(connection, payload);
    } else {
      const connection = this.registry.get(sid);
      if (connection) this.write(connection, encode());
    }
  }

  /** Sends raw bytes or text, bypassing `swallow` (bad-frame injection). */
  sendRaw(sid: string | null, payload: string | Buffer): void {
    const targets = sid === null ? [...this.registry.values()] : [this.registry.get(sid)].filter((c): c is Connection => c !== undefined);
    for (const connection of targets) this.write(connection, payload);
  }

  private deliver(connection: Connection, message: OutgoingMessage): void {
    if (this.swallowers.size > 0 && this.swallowed(message)) return;
    this.write(connection, asciiJson(JSON.stringify(message)));
  }

  private write(connection: Connection, payload: string | Buffer): void {
    if (connection.muted || connection.ws.readyState !== WebSocket.OPEN) return;
    if (!this.corked.has(connection)) {
      connection.socket.cork();
      this.corked.add(connection);
      if (this.corked.size === 1) process.nextTick(this.uncorkAll);
    }
    connection.ws.send(payload);
  }

  /** Sockets corked in the current synchronous burst of sends. */
  private readonly corked = new Set<Connection>();
  private readonly uncorkAll = () => {
    for (const connection of this.corked) connection.socket.uncork();
    this.corked.clear();
  };

  private swallowed(message: OutgoingMessage): boolean {
    for (const predicate of this.swallowers) if (predicate(message)) return true;
    return false;
  }

  /** Stops sending messages matching `predicate` until the returned undo is called. */
  swallow(predicate: (message: OutgoingMessage) => boolean): () => void {
    const entry = (message: OutgoingMessage) => predicate(message);
    this.swallowers.add(entry);
    return () => void this.swallowers.delete(entry);
  }

  /** Answers upgrades with `status` until undone. */
  refuse(status: number): () => void {
    this.refusals.push(status);
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      const index = this.refusals.lastIndexOf(status);
      if (index >= 0) this.refusals.splice(index, 1);
    };
  }

  /** Sockets accepted until undone never receive a frame. */
  mute(): () => void {
    this.muteCount++;
    let undone = false;
    return () => {
      if (!undone) {
        undone = true;
        this.muteCount--;
      }
    };
  }

  /** Terminates every open socket now (the clients see an abnormal close, 1006). */
  dropAll(): void {
    this.registry.clear();
    for (const connection of this.open) connection.ws.terminate();
  }

  /** Terminates everything and closes the WebSocket server. */
  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
