import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookEvent } from '../delivery/webhookEvent';

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly id: string;
  readonly path: string;
  /** The standardwebhooks verifier accepted the signature (and the timestamp). */
  readonly valid: boolean;
  readonly event: WebhookEvent | undefined;
  /** What the receiver answered (undefined: it never answered). */
  readonly status: number | undefined;
}

/** How the receiver answers a request: a status, or 'never' (the socket is held open until stop). */
export type Answer = (request: { id: string; path: string; seen: number }) => number | 'never';

/**
 * A real HTTP webhook receiver for tests: verifies every request with the `standardwebhooks`
 * verifier, counts requests and accepted (2xx) deliveries per `webhook-id`, and can go down (stop
 * listening) and come back on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** 2xx answers per webhook-id. */
  readonly accepted = new Map<string, number>();
  answer: Answer = () => 204;
  private readonly events = new EventEmitter();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private readonly verifier: Webhook;

  private constructor(secret: string, private port: number) {
    this.verifier = new Webhook(secret);
  }

  static async start(secret: string): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret, 0);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (again) on its port. */
  async up(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection: requests now fail to connect. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` distinct webhook-ids have been accepted. */
  waitForAccepted(count: number): Promise<void> {
    if (this.accepted.size >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.accepted.size < count) return;
        this.events.off('accepted', check);
        resolve();
      };
      this.events.on('accepted', check);
    });
  }

  /** Resolves on the `count`-th request (of any outcome). */
  waitForRequests(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.received.length < count) return;
        this.events.off('request', check);
        resolve();
      };
      this.events.on('request', check);
    });
  }

  /** Events accepted, one per webhook-id. */
  acceptedEvents(): WebhookEvent[] {
    const byId = new Map<string, WebhookEvent>();
    for (const r of this.received) if (r.status !== undefined && r.status < 300 && r.event) byId.set(r.id, r.event);
    return [...byId.values()];
  }

  /** Forgets what it received (between tests) and answers 204 again. */
  reset(): void {
    this.received.length = 0;
    this.accepted.clear();
    this.answer = () => 204;
  }

  async stop(): Promise<void> {
    await this.down();
    this.events.removeAllListeners();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const id = headers['webhook-id'] ?? '';
    let valid = true;
    try {
      this.verifier.verify(body, headers);
    } catch {
      valid = false;
    }
    const parsed = WebhookEvent.safeParse(safeJson(body));
    const path = req.url ?? '/';
    const answer = this.answer({ id, path, seen: this.received.filter((r) => r.id === id).length });
    const status = answer === 'never' ? undefined : answer;
    this.received.push({ id, path, valid, event: parsed.success ? parsed.data : undefined, status });
    this.events.emit('request');
    if (status === undefined) return; // held open: the sender's timeout ends it
    res.writeHead(status).end();
    if (status < 300) {
      this.accepted.set(id, (this.accepted.get(id) ?? 0) + 1);
      this.events.emit('accepted');
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
