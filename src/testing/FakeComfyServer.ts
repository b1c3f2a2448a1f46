import type { EventEmitter } from 'node:events';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { libLogger } from '../log';
import type { HistoryEntry, QueueResponse } from '../protocol';
import { OutputCache } from './engine/outputCache';
import { PromptWorker } from './engine/promptWorker';
import { createFakeServerEmitter, type FakePromptStatus, type FakeServerEmitter, type FakeServerEventMap, type FakeServerEventName } from './fakeServerEvents';
import { parseFakeServerOptions, type FakeComfyServerOptions, type NodeLatency } from './fakeServerOptions';
import { type FaultRoute, FaultPlan } from './server/faultPlan';
import { foreignQueueItem } from './server/foreignPrompt';
import { basicAuthPasses, originAllowed } from './http/guards';
import type { RouteContext } from './http/routeContext';
import { HttpRouter, routePath } from './http/router';
import { NodeCatalog } from './nodes/catalog';
import { DEFAULT_MODEL_FOLDERS, type ModelFolders } from './nodes/modelFiles';
import { FileRenderer } from './media/renderFile';
import { FileStore, normalizeSubfolder, type FolderType } from './server/fileStore';
import { HistoryStore } from './server/historyStore';
import { PromptQueue } from './server/promptQueue';
import { fakeServerProfile } from './server/serverProfile';
import { WsEndpoint, type OutgoingMessage } from './server/wsEndpoint';
import { type FakeV2Service, type FakeV2Surface, openFakeV2Surface } from './v2/FakeV2Surface';

/** ComfyUI's default `--max-upload-size` (100 MB). */
const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const DEFAULT_WAIT_MS = 10_000;

/** Where `addFile` puts a file (`type` defaults to `output`). */
export interface FakeFileRef {
  readonly filename: string;
  readonly subfolder?: string;
  readonly type?: FolderType;
}

/** Counters for assertions. */
export interface FakeServerStats {
  readonly wsConnectionsTotal: number;
  readonly wsOpen: number;
  readonly httpRequests: number;
  /** How many times each prompt id was POSTed (valid or not). */
  readonly promptPosts: ReadonlyMap<string, number>;
  /** How many times each prompt id started executing (a prompt run twice shows 2; exactly-once checks). */
  readonly promptExecutions: ReadonlyMap<string, number>;
}

/** A finished prompt's outcome, read from its history messages. */
function outcomeOf(entry: HistoryEntry): FakePromptStatus {
  const events = entry.status?.messages.map(([event]) => event) ?? [];
  if (events.includes('execution_interrupted')) return 'interrupted';
  return events.includes('execution_error') ? 'error' : 'success';
}

interface Waiter {
  readonly cancel: (reason: Error) => void;
}

/**
 * A protocol-faithful ComfyUI stand-in on 127.0.0.1: the HTTP API and WebSocket of ComfyUI 0.8.0
 * (docs/protocol.md, recorded traces), a node catalog that runs the text-to-image and
 * text-to-video templates, and knobs for fault injection. Outputs are rendered on demand.
 *
 * @example
 * const fake = await FakeComfyServer.start({ nodeLatencyMs: 5 });
 * const done = fake.waitFor('prompt-finished');
 * await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt, client_id: 'me' }) });
 * console.log(await done, fake.historyOf((await done).promptId));
 * await fake.stop();
 */
export class FakeComfyServer {
  /** Typed observation events (see {@link FakeServerEventMap}); `waitFor` wraps them. */
  readonly events: FakeServerEmitter;
  private readonly logger: Logger;
  private readonly files = new FileStore();
  private readonly renderer = new FileRenderer(this.files);
  private readonly queue = new PromptQueue();
  private readonly history = new HistoryStore();
  private readonly cache: OutputCache;
  private readonly catalog: NodeCatalog;
  private readonly hub: WsEndpoint;
  private readonly worker: PromptWorker;
  private readonly router: HttpRouter;
  private readonly server: Server;
  private readonly v2Service: FakeV2Service | undefined;
  private readonly promptPosts = new Map<string, number>();
  private readonly promptExecutions = new Map<string, number>();
  private readonly faults = new FaultPlan();
  private readonly waiters = new Set<Waiter>();
  private readonly delays: number[] = [];
  private nodeLatency: NodeLatency;
  private stepLatency: number;
  private httpRequests = 0;
  private boundPort = 0;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly options: FakeComfyServerOptions) {
    this.events = createFakeServerEmitter();
    this.events.on('prompt-started', ({ promptId }) => this.promptExecutions.set(promptId, (this.promptExecutions.get(promptId) ?? 0) + 1));
    this.logger = libLogger(options.logger).child({ component: 'fake-comfy' });
    this.nodeLatency = options.nodeLatencyMs ?? 0;
    this.stepLatency = options.stepLatencyMs ?? 0;
    const models: ModelFolders = { ...DEFAULT_MODEL_FOLDERS, ...options.models };
    this.cache = new OutputCache(options.cache ?? true);
    this.catalog = new NodeCatalog(models, options.exclude);
    const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    const server = fakeServerProfile(options.version, maxUploadBytes, options.nodeReplacements);
    const features = server.features;
    this.hub = new WsEndpoint({
      events: this.events,
      logger: this.logger,
      serverFlags: features,
      queueRemaining: () => this.queue.remaining(),
      reconnectHint: (sid) => this.worker.reconnectHint(sid),
      emulateReplacementBug: options.emulateReplacementBug ?? false,
    });
    this.worker = new PromptWorker({
      queue: this.queue,
      history: this.history,
      cache: this.cache,
      hub: this.hub,
      events: this.events,
      logger: this.logger,
      catalog: this.catalog,
      files: this.files,
      settings: {
        nodeLatencyMs: (classType, nodeId) => this.latencyOf(classType, nodeId),
        stepLatencyMs: () => this.stepLatency,
        previews: () => options.previewMethod === 'auto',
      },
    });
    const context: RouteContext = {
      worker: this.worker,
      queue: this.queue,
      history: this.history,
      files: this.files,
      renderer: this.renderer,
      catalog: this.catalog,
      cache: this.cache,
      events: this.events,
      promptPosts: this.promptPosts,
      faults: this.faults,
      features,
      server,
      models,
      address: () => ({ host: this.host, port: this.boundPort }),
    };
    this.v2Service =
      options.v2?.enabled === false
        ? undefined
        : openFakeV2Surface(
            {
              native: context,
              listen: (sid, listener) => this.hub.listen(sid, listener),
              addFault: (route, count, reply) => this.faults.add('fail', route, count, { reply }),
            },
            options.v2,
          );
    this.router = new HttpRouter({
      context,
      logger: this.logger,
      maxUploadBytes,
      basicAuth: options.basicAuth,
      originGuard: options.originGuard ?? true,
      delayMs: () => this.delays[this.delays.length - 1] ?? 0,
      onRequest: () => void this.httpRequests++,
      faults: this.faults,
      jobsApi: options.jobsApi ?? true,
      ...(this.v2Service ? { v2: this.v2Service } : {}),
    });
    this.server = createServer(this.router.handle);
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(request, socket, head));
  }

  /**
   * Starts a fake server (127.0.0.1, random port unless `options.port`).
   * @throws ComfyOptionsError for invalid options.
   */
  static async start(options?: FakeComfyServerOptions): Promise<FakeComfyServer> {
    const fake = new FakeComfyServer(parseFakeServerOptions(options));
    await fake.listen();
    return fake;
  }

  private get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.host, () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.logger.info({ url: this.url }, 'fake ComfyUI listening');
        (this.v2Service?.surface.start(this.url) ?? Promise.resolve()).then(resolve, reject);
      });
    });
  }

  /** `http://HOST:PORT` */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  /**
   * The Comfy API v2 under `/api/v2` (comfy-api-proxy's behaviour): its quirk knobs, v2 faults,
   * counters and request log.
   * @throws Error when the fake was started with `v2: { enabled: false }`.
   */
  get v2(): FakeV2Surface {
    if (!this.v2Service) throw new Error('This FakeComfyServer does not serve /api/v2 (started with v2.enabled: false)');
    return this.v2Service.surface;
  }

  get stats(): FakeServerStats {
    return {
      wsConnectionsTotal: this.hub.connectionsTotal,
      wsOpen: this.hub.openCount,
      httpRequests: this.httpRequests,
      promptPosts: this.promptPosts,
      promptExecutions: this.promptExecutions,
    };
  }

  private latencyOf(classType: string, nodeId: string): number {
    const latency = this.nodeLatency;
    const ms = typeof latency === 'function' ? latency(classType, nodeId) : latency;
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  }

  /** Simulated time per executed node from now on (a number, or `(classType, nodeId) => ms`). */
  setNodeLatency(latency: NodeLatency): void {
    this.nodeLatency = latency;
  }

  /** Simulated time per progress step from now on. */
  setStepLatency(ms: number): void {
    this.stepLatency = ms;
  }

  /** Terminates every open WebSocket now (clients see an abnormal close). */
  dropSockets(): void {
    this.hub.dropAll();
  }

  /**
   * Like a process restart on the same port: sockets dropped; queue, running prompt (it vanishes
   * without another message), history, cache and the prompt counter lost. Files stay (the disk).
   */
  restart(): void {
    this.hub.dropAll();
    this.worker.restart();
    this.logger.info('fake ComfyUI restarted');
  }

  /**
   * Stops sending WS messages of these types (or matching the predicate) until undone. History
   * still records them, as the real server does. Binary frames have types `preview_image` and
   * `progress_text`.
   */
  swallow(filter: readonly string[] | ((message: OutgoingMessage) => boolean)): () => void {
    const predicate = typeof filter === 'function' ? filter : (message: OutgoingMessage) => filter.includes(message.type);
    return this.hub.swallow(predicate);
  }

  /** Answers WS upgrades with this HTTP status until undone. */
  refuseSockets(status = 403): () => void {
    return this.hub.refuse(status);
  }

  /** Sockets accepted until undone never receive anything (not even `status` with `sid`). */
  muteSockets(): () => void {
    return this.hub.mute();
  }

  /** The worker takes no new prompt until released (pending prompts stay pending). */
  holdQueue(): () => void {
    return this.worker.hold();
  }

  /** Answers every HTTP request `ms` late (the work itself happens on time) until undone. */
  delayHttp(ms: number): () => void {
    this.delays.push(ms);
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      const index = this.delays.lastIndexOf(ms);
      if (index >= 0) this.delays.splice(index, 1);
    };
  }

  /**
   * The next `count` requests of `route` (`'GET /history/*'`, `'POST /prompt'`, `'/queue'`) are
   * answered `status` without reaching the route (the server or a proxy in front of it struggling),
   * with `Retry-After: retryAfterS` when given. Returns an undo.
   */
  failNext(route: FaultRoute, count: number, status: number, options: { retryAfterS?: number } = {}): () => void {
    const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (options.retryAfterS !== undefined) headers['Retry-After'] = String(options.retryAfterS);
    return this.faults.add('fail', route, count, { reply: { status, headers, body: `${status}: ${STATUS_CODES[status] ?? 'fault'}` } });
  }

  /** Answers of `route` come `ms` late (the work itself happens on time) until undone. */
  answerLate(route: FaultRoute, ms: number): () => void {
    return this.faults.add('late', route, Number.POSITIVE_INFINITY, { ms });
  }

  /**
   * The next `count` requests of `route` are processed (a `POST /prompt` is queued and runs) but
   * their connection closes instead of the answer: the lost answer. Emits `response-dropped`.
   */
  dropNextResponse(route: FaultRoute, count = 1): () => void {
    return this.faults.add('drop', route, count);
  }

  /**
   * `GET /queue` also lists a pending prompt of another client (a Python script next door) whose
   * inputs hold `NaN` and `Infinity`, written in Python's JSON dialect as the real server would; it
   * never runs. Returns its prompt id and an undo.
   */
  serveForeignPrompt(): { readonly promptId: string; readonly remove: () => void } {
    const item = foreignQueueItem();
    return { promptId: item[1], remove: this.faults.addForeign(item) };
  }

  /**
   * Serves a file at `/view`. `{ sizeBytes }` streams generated bytes without holding them.
   * @throws RangeError for a subfolder escaping its root or a bad size.
   */
  addFile(ref: FakeFileRef, content: Buffer | { readonly sizeBytes: number }): void {
    const subfolder = normalizeSubfolder(ref.subfolder ?? '');
    if (subfolder === undefined || !ref.filename || ref.filename.includes('/')) throw new RangeError(`Invalid file reference ${JSON.stringify(ref)}`);
    if (Buffer.isBuffer(content)) {
      this.files.put(ref.type ?? 'output', subfolder, ref.filename, { kind: 'bytes', data: content });
      return;
    }
    if (!(Number.isInteger(content.sizeBytes) && content.sizeBytes >= 0)) throw new RangeError(`sizeBytes must be an integer >= 0 (got ${content.sizeBytes})`);
    this.files.put(ref.type ?? 'output', subfolder, ref.filename, { kind: 'generated', sizeBytes: content.sizeBytes });
  }

  /**
   * The files of one folder (`input`, `output` or `temp`), sorted by path (`subfolder/name`):
   * what an `ls -R` of that folder of a real server shows. `bytes` for stored bytes (uploads),
   * absent for generated outputs (render them through `/view`).
   */
  listFiles(type: FolderType): Array<{ readonly path: string; readonly bytes?: Buffer }> {
    return this.files
      .list(type)
      .map((file) => ({ path: file.subfolder ? `${file.subfolder}/${file.name}` : file.name, ...(file.content.kind === 'bytes' ? { bytes: file.content.data } : {}) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Broadcasts a binary progress-text frame (type 3), as nodes do through `send_progress_text`. */
  sendProgressText(nodeId: string, text: string): void {
    this.hub.send(null, { type: 'progress_text', data: { node: nodeId, text } });
  }

  /** Sends a raw frame (text or binary) to one sid or, without it, to every socket: bad-frame injection. */
  sendRaw(frame: string | Buffer, sid?: string): void {
    this.hub.sendRaw(sid ?? null, frame);
  }

  /** `GET /queue`, as the HTTP API answers it. */
  queueSnapshot(): QueueResponse {
    return this.queue.snapshot();
  }

  /** The history entry `GET /history/{id}` holds for this prompt, if it finished. */
  historyOf(promptId: string): HistoryEntry | undefined {
    return this.history.get(promptId);
  }

  /**
   * Resolves with the next `event` payload that passes `predicate`.
   * @throws Error (rejection) after `timeoutMs`, or when the server stops first.
   */
  waitFor<K extends FakeServerEventName>(
    event: K,
    predicate?: (payload: FakeServerEventMap[K]) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeServerEventMap[K]> {
    // TypeScript cannot resolve the typed emitter's listener type for a generic K: use the plain view.
    const emitter: EventEmitter = this.events;
    return new Promise((resolve, reject) => {
      const listener = (payload: FakeServerEventMap[K]) => {
        let matches: boolean;
        try {
          matches = predicate ? predicate(payload) : true;
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (!matches) return;
        finish();
        resolve(payload);
      };
      const waiter: Waiter = {
        cancel: (reason) => {
          finish();
          reject(reason);
        },
      };
      const timer = setTimeout(() => waiter.cancel(new Error(`FakeComfyServer.waitFor('${event}') timed out after ${timeoutMs} ms`)), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        emitter.off(event, listener);
        this.waiters.delete(waiter);
      };
      emitter.on(event, listener);
      this.waiters.add(waiter);
    });
  }

  /**
   * Resolves when the prompt has finished: at once if its history entry exists (so a fast prompt
   * that ended before the call is not missed), else on its `prompt-finished` event.
   */
  promptFinished(promptId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<FakeServerEventMap['prompt-finished']> {
    const entry = this.history.get(promptId);
    if (entry) return Promise.resolve({ promptId, status: outcomeOf(entry) });
    return this.waitFor('prompt-finished', (e) => e.promptId === promptId, timeoutMs);
  }

  /** Closes everything (sockets terminated, pending waits rejected). Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.worker.stop();
    this.router.cancelPending();
    for (const waiter of [...this.waiters]) waiter.cancel(new Error('FakeComfyServer stopped'));
    await this.v2Service?.surface.stop();
    await this.hub.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.logger.info('fake ComfyUI stopped');
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const refuse = (status: number, extra = '') => {
      const body = status === 404 ? '404: Not Found' : '';
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`);
    };
    if (this.stopping) return refuse(503);
    if (routePath(url.pathname) !== '/ws') return refuse(404);
    if (this.options.basicAuth && !basicAuthPasses(request.headers, this.options.basicAuth)) return refuse(401, 'WWW-Authenticate: Basic realm="ComfyUI"\r\n');
    if ((this.options.originGuard ?? true) && !originAllowed(request.headers)) return refuse(403);
    const refusal = this.hub.refusalStatus;
    if (refusal !== undefined) return refuse(refusal);
    this.hub.upgrade(request, socket, head, url.searchParams.get('clientId') ?? '');
  }
}
