import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { isPlainObject } from '../../util/isPlainObject';
import type { Reply } from '../http/reply';
import type { RouteContext } from '../http/routeContext';
import type { FaultRoute } from '../server/faultPlan';
import type { OutgoingMessage } from '../server/wsEndpoint';
import { assetFromHash, deleteAsset, getAsset, getAssetContent, headAssetByHash, postAsset } from './assetRoutes';
import { FakeAssetStore } from './fakeAssets';
import { FakeEventStream } from './fakeEventStream';
import { FakeV2Jobs, type FakeV2Job } from './fakeV2Jobs';
import { DEFAULT_V2_QUIRKS, type FakeV2Options, type FakeV2Quirks, FakeV2QuirksSchema, selectedJob } from './fakeV2Options';
import { cancelJob, getJob, getJobWorkflow, jobEvents, listJobs, postJob } from './jobRoutes';
import { OutputAssetIds } from './outputAssetId';
import type { V2Context, V2Handler, V2Request } from './v2Context';
import { v2Error, v2Json } from './v2Reply';
import { V2_TERMINAL_STATUSES } from '../../surfaces/v2/wire';
import { ComfyOptionsError } from '../../errors';
import { formatIssues } from '../../util/formatIssues';

/** One request the v2 surface (or its signed-URL storage origin) received, for assertions. */
export interface FakeV2RequestLog {
  readonly origin: 'api' | 'storage';
  readonly method: string;
  readonly path: string;
  /** It carried `Authorization` or `X-API-Key`. */
  readonly credentials: boolean;
}

/** Counters of the v2 surface. */
export interface FakeV2Stats {
  readonly jobs: number;
  readonly streamsOpen: number;
  /** Streams refused with 429 (over `maxStreams`). */
  readonly streamsRefused: number;
  readonly cancels: number;
}

/** What the surface needs from the fake server. */
export interface FakeV2Deps {
  readonly native: RouteContext;
  /** Registers the proxy's in-process client with the fake's socket hub (see `WsEndpoint.listen`). */
  readonly listen: (sid: string, listener: (message: OutgoingMessage) => void) => () => void;
  /** Adds a fault (`FakeComfyServer.failNext` uses the same plan). */
  readonly addFault: (route: FaultRoute, count: number, reply: Reply) => () => void;
}

/**
 * The fake server's side of its v2 surface: the surface its `v2` getter hands out, and the call
 * only its router makes. Kept off the class (whose constructor is private) so that
 * `comfyui-rx/testing` shows the knobs alone: the constructor and `answer` take the fake's internals.
 */
export interface FakeV2Service {
  readonly surface: FakeV2Surface;
  /** Answers one request under `/api/v2` (the router has applied basic auth, origin guard and faults). */
  answer(req: IncomingMessage, pathname: string, query: URLSearchParams, body: () => Promise<Buffer>): Promise<Reply>;
}

/** Set by `FakeV2Surface`'s static block, the one place that may call its private constructor. */
let openService: (deps: FakeV2Deps, options: FakeV2Options) => FakeV2Service;

/** Makes the v2 surface of a fake server (`FakeComfyServer` calls it once, at construction). */
export function openFakeV2Surface(deps: FakeV2Deps, options: FakeV2Options = {}): FakeV2Service {
  return openService(deps, options);
}

interface OpenStream {
  readonly stream: FakeEventStream;
  readonly origin: string;
}

const ROUTES: readonly (readonly [RegExp, Readonly<Record<string, V2Handler>>])[] = [
  [/^\/health$/, { GET: (_request, context) => v2Json({ status: 'healthy', upstream: context.upstream }) }],
  [/^\/jobs$/, { GET: listJobs, POST: postJob }],
  [/^\/jobs\/[^/]+$/, { GET: getJob }],
  [/^\/jobs\/[^/]+\/workflow$/, { GET: getJobWorkflow }],
  [/^\/jobs\/[^/]+\/events$/, { GET: jobEvents }],
  [/^\/jobs\/[^/]+\/cancel$/, { POST: cancelJob }],
  [/^\/assets$/, { POST: postAsset }],
  [/^\/assets\/from-hash$/, { POST: assetFromHash }],
  [/^\/assets\/by-hash\/[^/]+$/, { HEAD: headAssetByHash, GET: headAssetByHash }],
  [/^\/assets\/[^/]+$/, { GET: getAsset, DELETE: deleteAsset }],
  [/^\/assets\/[^/]+\/content$/, { GET: getAssetContent }],
];

/**
 * The fake's Comfy API v2 (`/api/v2/*`), modelled on comfy-api-proxy in front of ComfyUI 0.8.0 (the
 * recordings in `src/testing/v2/__fixtures__/traces`): it submits to the fake's own native
 * `POST /prompt` under the proxy's client id, turns the execution messages it receives into each
 * job's event stream, reads jobs through `/history` then `/queue`, and serves outputs and
 * uploaded assets through `/view`. The proxy's departures from its specification are knobs
 * ({@link FakeV2Quirks}); Comfy Cloud's API key, request ids and signed storage URLs are options.
 */
export class FakeV2Surface {
  private quirkStack: FakeV2Quirks[];
  private readonly jobs: FakeV2Jobs;
  private readonly assets = new FakeAssetStore();
  private readonly outputIds = new OutputAssetIds();
  private readonly signingKey = randomBytes(32);
  private readonly usedKeys = new Set<string>();
  private readonly streams = new Map<string, Set<OpenStream>>();
  private readonly log: FakeV2RequestLog[] = [];
  private readonly breaks: { readonly afterBytes: number; remaining: number }[] = [];
  private readonly context: V2Context;
  private readonly unlisten: () => void;
  private storage: Server | undefined;
  private storagePort = 0;
  private apiOrigin = '';
  private open = 0;
  private refused = 0;
  private cancels = 0;
  readonly proxySid = `comfy-api-proxy-${randomUUID()}`;

  static {
    openService = (deps, options) => {
      const surface = new FakeV2Surface(deps, options);
      return { surface, answer: (req, pathname, query, body) => surface.answer(req, pathname, query, body) };
    };
  }

  private constructor(
    private readonly deps: FakeV2Deps,
    private readonly options: FakeV2Options = {},
  ) {
    this.quirkStack = [{ ...DEFAULT_V2_QUIRKS, ...options.quirks }];
    this.jobs = new FakeV2Jobs({
      history: deps.native.history,
      queue: deps.native.queue,
      quirks: () => this.quirks,
      outputId: (jobId, file) => this.outputIds.sign({ j: jobId, f: file.filename, s: file.subfolder, t: file.type }),
    });
    const surface = this;
    this.context = {
      get upstream() {
        return surface.apiOrigin;
      },
      native: deps.native,
      jobs: this.jobs,
      assets: this.assets,
      outputIds: this.outputIds,
      quirks: () => this.quirks,
      usedKeys: this.usedKeys,
      proxySid: this.proxySid,
      contentUrl: (assetId, origin) => this.contentUrl(assetId, origin),
      openStream: (job, res) => this.openStream(job, res),
    };
    this.unlisten = deps.listen(this.proxySid, (message) => this.onMessage(message));
  }

  /** The quirks in force. */
  get quirks(): FakeV2Quirks {
    return this.quirkStack[this.quirkStack.length - 1] as FakeV2Quirks;
  }

  /**
   * Changes quirks from now on (`{ cancel: 'works', streamMissesEnd: 0 }`). Returns an undo.
   * @throws ComfyOptionsError for invalid values.
   */
  setQuirks(quirks: Partial<FakeV2Quirks>): () => void {
    const parsed = FakeV2QuirksSchema.partial().safeParse(quirks);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid v2 quirks: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const entry = { ...this.quirks, ...parsed.data };
    this.quirkStack.push(entry);
    return () => {
      const index = this.quirkStack.lastIndexOf(entry);
      if (index > 0) this.quirkStack.splice(index, 1);
    };
  }

  /**
   * The next `count` requests of `route` (`'POST /api/v2/jobs'`) answer `status` with the v2 error
   * envelope (`code`, default from the status), `Retry-After` when given, and a request id when
   * the surface sends them. Returns an undo.
   */
  failNext(route: FaultRoute, count: number, status: number, options: { code?: string; message?: string; retryAfterS?: number } = {}): () => void {
    const headers: Record<string, string> = { ...this.requestIdHeader() };
    if (options.retryAfterS !== undefined) headers['Retry-After'] = String(options.retryAfterS);
    const code = options.code ?? DEFAULT_CODES[status] ?? 'upstream_error';
    return this.deps.addFault(route, count, v2Error(status, code, options.message ?? `fault injected: ${code}`, null, headers));
  }

  /**
   * The next `count` full answers of `/assets/{id}/content` (and of the storage origin) send
   * `afterBytes` bytes, then the connection drops (a download cut halfway). Returns an undo.
   */
  breakNextContent(afterBytes: number, count = 1): () => void {
    const entry = { afterBytes, remaining: count };
    this.breaks.push(entry);
    return () => {
      const index = this.breaks.indexOf(entry);
      if (index >= 0) this.breaks.splice(index, 1);
    };
  }

  /** A full content answer, cut short when `breakNextContent` asked for it. */
  private maybeBroken(reply: Reply): Reply {
    const entry = this.breaks[0];
    if (!entry || reply.status !== 200) return reply;
    if (--entry.remaining <= 0) this.breaks.shift();
    const whole = reply.body !== undefined ? Buffer.from(reply.body) : undefined;
    const length = whole?.length ?? reply.stream?.length ?? 0;
    const open = (): Readable => {
      const source = whole ? Readable.from([whole]) : (reply.stream as { open(): Readable }).open();
      let sent = 0;
      const cut = new Readable({ read: () => undefined });
      source.on('data', (chunk: Buffer) => {
        if (sent >= entry.afterBytes) return;
        const part = chunk.subarray(0, entry.afterBytes - sent);
        sent += part.length;
        cut.push(part);
        if (sent >= entry.afterBytes) {
          source.destroy();
          setImmediate(() => cut.destroy(new Error('connection cut by breakNextContent')));
        }
      });
      return cut;
    };
    return { status: 200, headers: reply.headers, stream: { length, open } };
  }

  get stats(): FakeV2Stats {
    return { jobs: this.jobs.count, streamsOpen: this.open, streamsRefused: this.refused, cancels: this.cancels };
  }

  /** The requests received so far (the last 2 000), oldest first. */
  get requests(): readonly FakeV2RequestLog[] {
    return this.log;
  }

  /** The job ids accepted so far, newest first, with the metadata each was submitted with. */
  jobList(): { readonly id: string; readonly metadata?: unknown }[] {
    return this.jobs.newestFirst().map((job) => ({ id: job.id, ...(job.metadata !== undefined ? { metadata: job.metadata } : {}) }));
  }

  /** Starts the signed-URL storage origin when the options ask for one. */
  async start(apiOrigin: string): Promise<void> {
    this.apiOrigin = apiOrigin;
    if ((this.options.signedUrls ?? 'off') === 'off') return;
    const storage = createServer((req, res) => void this.serveStorage(req, res));
    this.storage = storage;
    await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
    this.storagePort = (storage.address() as AddressInfo).port;
  }

  /** Ends every stream and closes the storage origin. */
  async stop(): Promise<void> {
    this.unlisten();
    for (const set of this.streams.values()) for (const { stream } of [...set]) stream.end();
    const storage = this.storage;
    if (storage) {
      storage.closeAllConnections();
      await new Promise<void>((resolve) => storage.close(() => resolve()));
    }
  }

  /** {@link FakeV2Service.answer} */
  private async answer(req: IncomingMessage, pathname: string, query: URLSearchParams, body: () => Promise<Buffer>): Promise<Reply> {
    const method = req.method ?? 'GET';
    const path = pathname.slice('/api/v2'.length) || '/';
    const credentials = req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined;
    this.record({ origin: 'api', method, path, credentials });
    const reply = await this.route(req, method, path, query, body);
    const ids = this.requestIdHeader();
    return Object.keys(ids).length ? { ...reply, headers: { ...reply.headers, ...ids } } : reply;
  }

  private async route(req: IncomingMessage, method: string, path: string, query: URLSearchParams, body: () => Promise<Buffer>): Promise<Reply> {
    if (this.options.apiKey !== undefined && !this.authorized(req)) return v2Error(401, 'unauthorized', 'Missing or invalid credentials.');
    const entry = ROUTES.find(([pattern]) => pattern.test(path));
    if (!entry) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404: Not Found' };
    const handler = entry[1][method];
    if (!handler) return { status: 405, headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: Object.keys(entry[1]).join(',') }, body: '405: Method Not Allowed' };
    if (this.options.signedUrls === 'redirect' && /^\/assets\/[^/]+\/content$/.test(path)) {
      const id = decodeURIComponent(path.split('/')[2] ?? '');
      return { status: 302, headers: { Location: this.signedUrl(id) } };
    }
    const request: V2Request = { method, path, query, headers: req.headers, origin: originOf(req, this.apiOrigin), body };
    if (path.endsWith('/cancel')) this.cancels++;
    const reply = await handler(request, this.context);
    return handler === getAssetContent ? this.maybeBroken(reply) : reply;
  }

  private authorized(req: IncomingMessage): boolean {
    const key = this.options.apiKey as string;
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    return bearer === key || req.headers['x-api-key'] === key;
  }

  private requestIdHeader(): Record<string, string> {
    return this.options.requestIds ? { 'X-Comfy-Request-Id': `req_${randomUUID()}` } : {};
  }

  private record(entry: FakeV2RequestLog): void {
    this.log.push(entry);
    if (this.log.length > 2_000) this.log.shift();
  }

  private contentUrl(assetId: string, origin: string): string {
    return this.options.signedUrls === 'direct' ? this.signedUrl(assetId) : `${origin}/api/v2/assets/${encodeURIComponent(assetId)}/content`;
  }

  private signedUrl(assetId: string): string {
    return `http://127.0.0.1:${this.storagePort}/blob/${encodeURIComponent(assetId)}?sig=${this.signature(assetId)}`;
  }

  private signature(assetId: string): string {
    return createHmac('sha256', this.signingKey).update(assetId).digest('base64url');
  }

  /** The storage origin: `GET /blob/{id}?sig=` serves the asset's bytes without credentials. */
  private async serveStorage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    const credentials = req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined;
    this.record({ origin: 'storage', method: req.method ?? 'GET', path: url.pathname, credentials });
    const id = decodeURIComponent(url.pathname.slice('/blob/'.length));
    const given = Buffer.from(url.searchParams.get('sig') ?? '', 'base64url');
    const expected = Buffer.from(this.signature(id), 'base64url');
    let reply: Reply;
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) reply = v2Error(403, 'forbidden', 'Bad signature.');
    else reply = this.maybeBroken(await getAssetContent({ method: 'GET', path: `/assets/${encodeURIComponent(id)}/content`, query: new URLSearchParams(), headers: req.headers, origin: '', body: async () => Buffer.alloc(0) }, this.context));
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': reply.stream ? reply.stream.length : Buffer.byteLength(reply.body ?? '') });
    if (reply.stream) pipeline(reply.stream.open(), res, () => undefined);
    else res.end(reply.body ?? '');
  }

  private openStream(job: FakeV2Job, res: ServerResponse): FakeEventStream | undefined {
    if (this.open >= this.quirks.maxStreams) {
      this.refused++;
      return undefined;
    }
    this.open++;
    let set = this.streams.get(job.id);
    if (!set) this.streams.set(job.id, (set = new Set()));
    const streams = set;
    const entry: OpenStream = {
      origin: originOf(res.req, this.apiOrigin),
      stream: new FakeEventStream(res, {
        quirks: () => this.quirks,
        terminalStatus: () => {
          const { status } = this.jobs.status(job);
          return V2_TERMINAL_STATUSES.has(status) ? { status } : undefined;
        },
        release: () => {
          this.open--;
          streams.delete(entry);
          if (streams.size === 0 && this.streams.get(job.id) === streams) this.streams.delete(job.id);
          this.deps.native.events.emit('v2-stream-released', { jobId: job.id, open: this.open });
        },
      }),
    };
    streams.add(entry);
    return entry.stream;
  }

  /** Execution messages of the proxy's prompts, turned into stream events (the proxy's WS client). */
  private onMessage(message: OutgoingMessage): void {
    const data = message.data as Record<string, unknown>;
    const promptId = message.type === 'preview_image' ? (isPlainObject(data.metadata) ? data.metadata.prompt_id : undefined) : data.prompt_id;
    if (typeof promptId !== 'string') return;
    const job = this.jobs.get(promptId);
    if (!job) return;
    const streams = this.streams.get(job.id);
    switch (message.type) {
      case 'executing':
        if (data.node === null || data.node === undefined) {
          job.endedAt = Date.now();
          this.endStreams(job);
          return;
        }
        if (job.currentNode !== undefined) job.nodesDone++;
        job.nodesTotal++;
        job.currentNode = String(data.node);
        job.step = 0;
        job.steps = 1;
        if (streams) for (const { stream } of streams) stream.throttled('progress', this.jobs.progress(job));
        return;
      case 'progress':
        job.currentNode = String(data.node);
        job.step = Number(data.value);
        job.steps = Number(data.max);
        if (streams) for (const { stream } of streams) stream.throttled('progress', this.jobs.progress(job));
        return;
      case 'executed':
        if (streams) {
          for (const { stream, origin } of streams) {
            for (const output of this.jobs.outputsOf(job.id, String(data.node), data.output, (id) => this.contentUrl(id, origin))) stream.send('output', output);
          }
        }
        return;
      case 'execution_success':
        job.outcome = 'succeeded';
        return;
      case 'execution_error':
        job.outcome = 'failed';
        return;
      case 'execution_interrupted':
        job.outcome = 'canceled';
        return;
      case 'preview_image': {
        if (!streams) return;
        const preview = message.data as { mime: string; image: Buffer; metadata?: Record<string, unknown> };
        const event = { node_id: preview.metadata?.node_id ?? null, content_type: preview.mime, data_base64: preview.image.toString('base64') };
        for (const { stream } of streams) stream.throttled('preview', event);
        return;
      }
      default:
        return;
    }
  }

  /** The job ended: its streams send the terminal status and end, except those the quirk makes miss it. */
  private endStreams(job: FakeV2Job): void {
    const streams = this.streams.get(job.id);
    if (!streams) return;
    if (selectedJob(job.seq, this.quirks.streamMissesEnd)) return;
    const { status } = this.jobs.status(job);
    for (const { stream } of [...streams]) stream.finish({ status });
  }
}

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  401: 'unauthorized',
  402: 'insufficient_credits',
  403: 'forbidden',
  404: 'not_found',
  409: 'hash_mismatch',
  422: 'invalid_workflow',
  429: 'queue_full',
};

/** `http://host:port` as the client addressed the server. */
function originOf(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return typeof host === 'string' && host ? `http://${host}` : fallback;
}
