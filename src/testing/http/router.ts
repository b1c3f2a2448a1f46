import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Logger } from 'pino';
import { getView } from './fileRoutes';
import { MULTIPART_OVERHEAD_BYTES, postUploadImage, postUploadMask } from './uploadRoutes';
import { basicAuthPasses, originAllowed, type BasicAuthCredentials } from './guards';
import {
  getEmbeddings,
  getExtensions,
  getFeatures,
  getModelFiles,
  getModelFolders,
  getNodeReplacements,
  getObjectInfo,
  getObjectInfoOf,
  getRoot,
  getSystemStats,
} from './infoRoutes';
import type { FaultPlan, FaultVerdict } from '../server/faultPlan';
import { getJob, postCancelJob, postCancelJobs } from './jobRoutes';
import { getPrompt, postPrompt } from './promptRoutes';
import { getHistory, getHistoryEntry, getQueue, postFree, postHistory, postInterrupt, postQueue } from './queueRoutes';
import { INTERNAL_ERROR_TEXT, InternalServerError, emptyReply, textReply, type FakeRequest, type Reply } from './reply';
import type { Handler, RouteContext } from './routeContext';
import type { FakeV2Service } from '../v2/FakeV2Surface';

type MethodTable = Readonly<Partial<Record<'GET' | 'POST', Handler>>>;

/** Exact paths (each also under `/api`). */
const EXACT_ROUTES: ReadonlyMap<string, MethodTable> = new Map<string, MethodTable>([
  ['/', { GET: getRoot }],
  ['/prompt', { GET: getPrompt, POST: postPrompt }],
  ['/queue', { GET: getQueue, POST: postQueue }],
  ['/interrupt', { POST: postInterrupt }],
  ['/free', { POST: postFree }],
  ['/history', { GET: getHistory, POST: postHistory }],
  ['/view', { GET: getView }],
  ['/upload/image', { POST: postUploadImage }],
  ['/upload/mask', { POST: postUploadMask }],
  ['/system_stats', { GET: getSystemStats }],
  ['/object_info', { GET: getObjectInfo }],
  ['/features', { GET: getFeatures }],
  ['/embeddings', { GET: getEmbeddings }],
  ['/models', { GET: getModelFolders }],
  ['/extensions', { GET: getExtensions }],
  ['/node_replacements', { GET: getNodeReplacements }],
]);

/** `/prefix/{one segment}` routes. */
const PARAM_ROUTES: readonly (readonly [string, MethodTable])[] = [
  ['/history/', { GET: getHistoryEntry }],
  ['/object_info/', { GET: getObjectInfoOf }],
  ['/models/', { GET: getModelFiles }],
];

/** `/api/jobs/{id}`: only under `/api` (`/jobs/{id}` is a 404 on the real server too). */
const JOB_ROUTE: MethodTable = { GET: getJob };
/** Newer servers: `POST /api/jobs/{id}/cancel`, and `POST /api/jobs/cancel` beside `GET /api/jobs/{id}`. */
const JOB_CANCEL_ROUTE: MethodTable = { POST: postCancelJob };
const JOBS_CANCEL_ROUTE: MethodTable = { GET: getJob, POST: postCancelJobs };

class BodyTooLarge extends Error {
  constructor(readonly actual: number) {
    super('body too large');
  }
}

/** Everything the router needs besides the routes' context. */
export interface RouterOptions {
  readonly context: RouteContext;
  readonly logger: Logger;
  readonly maxUploadBytes: number;
  readonly basicAuth?: BasicAuthCredentials;
  readonly originGuard: boolean;
  /** Current `delayHttp` delay in ms. */
  readonly delayMs: () => number;
  /** Counts requests (`stats.httpRequests`). */
  readonly onRequest: () => void;
  /** Fault knobs: failed, late and dropped answers. */
  readonly faults: FaultPlan;
  /** Serve `/api/jobs/{id}` (ComfyUI 0.8.0); false: an older server (404). */
  readonly jobsApi: boolean;
  /** Answers `/api/v2/*` (absent: those paths are unknown routes). */
  readonly v2?: Pick<FakeV2Service, 'answer'>;
}

/** The path as routes see it (dot segments resolved like a URL parser would, percent-encoding kept). */
function safeDecodePath(path: string): string {
  return path.includes('/.') ? new URL(path, 'http://fake.invalid').pathname : path;
}

/** Strips the `/api` prefix every route also answers under. */
export function routePath(pathname: string): string {
  if (pathname === '/api') return '/';
  return pathname.startsWith('/api/') ? pathname.slice(4) : pathname;
}

function lookup(path: string): MethodTable | undefined {
  const exact = EXACT_ROUTES.get(path);
  if (exact) return exact;
  for (const [prefix, table] of PARAM_ROUTES) {
    if (path.startsWith(prefix) && path.length > prefix.length && !path.slice(prefix.length).includes('/')) return table;
  }
  return undefined;
}

/**
 * The HTTP side of the fake: basic auth, the origin guard, ComfyUI's routes (also under `/api`),
 * aiohttp's error bodies (`404: Not Found`, `405: Method Not Allowed`, 413, 500) and `delayHttp`.
 */
export class HttpRouter {
  private readonly pendingReplies = new Set<NodeJS.Timeout>();

  constructor(private readonly options: RouterOptions) {}

  /** The `request` listener of the http server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.options.onRequest();
    const target = req.url ?? '/';
    const queryStart = target.indexOf('?');
    const url = {
      pathname: safeDecodePath(queryStart < 0 ? target : target.slice(0, queryStart)),
      searchParams: new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1)),
    };
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const fault = this.options.faults.verdict(method, url.pathname);
    if (fault.failWith) {
      req.resume();
      this.send(req, res, url.pathname, fault.failWith, fault);
      return;
    }
    void this.answer(req, url, method).then((reply) => this.send(req, res, url.pathname, reply, fault));
  };

  private async answer(req: IncomingMessage, url: { pathname: string; searchParams: URLSearchParams }, method: string): Promise<Reply> {
    const { basicAuth, originGuard } = this.options;
    if (basicAuth && !basicAuthPasses(req.headers, basicAuth)) {
      return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="ComfyUI"', 'Content-Type': 'text/plain; charset=utf-8' }, body: '401: Unauthorized' };
    }
    if (originGuard && !originAllowed(req.headers)) return emptyReply(403);
    if (method === 'OPTIONS') return emptyReply(200);
    const v2 = this.options.v2;
    if (v2 && (url.pathname === '/api/v2' || url.pathname.startsWith('/api/v2/'))) {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > this.options.maxUploadBytes) return this.tooLarge(declared);
      let v2Body: Promise<Buffer> | undefined;
      try {
        return await v2.answer(req, url.pathname, url.searchParams, () => (v2Body ??= this.readBody(req, this.options.maxUploadBytes)));
      } catch (error) {
        if (error instanceof BodyTooLarge) return this.tooLarge(error.actual);
        this.options.logger.error({ err: error, path: url.pathname }, 'fake v2 route failed');
        return textReply(INTERNAL_ERROR_TEXT, 500);
      }
    }
    const path = routePath(url.pathname);
    if (path === '/ws') return textReply('No WebSocket UPGRADE hdr: None\n Can "Upgrade" only to "WebSocket".', 400);
    const table = this.jobRoute(url.pathname) ?? lookup(path);
    if (!table) {
      // ComfyUI serves its frontend from a static route at `/` (GET and HEAD): other methods on an unknown path are 405.
      if (method === 'GET') return textReply('404: Not Found', 404);
      return { status: 405, headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET,HEAD' }, body: '405: Method Not Allowed' };
    }
    const handler = table[method as 'GET' | 'POST'];
    if (!handler) return { status: 405, headers: { 'Content-Type': 'text/plain; charset=utf-8', Allow: Object.keys(table).join(',') }, body: '405: Method Not Allowed' };

    // aiohttp's limit counts a form's part contents, not its boundaries: uploads get room for those (their route checks the contents)
    const limit = path.startsWith('/upload/') ? this.options.maxUploadBytes + MULTIPART_OVERHEAD_BYTES : this.options.maxUploadBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return this.tooLarge(declared, path.startsWith('/upload/'));
    let bodyPromise: Promise<Buffer> | undefined;
    const request: FakeRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body: () => (bodyPromise ??= this.readBody(req, limit)),
    };
    try {
      return await handler(request, this.options.context);
    } catch (error) {
      if (error instanceof BodyTooLarge) return this.tooLarge(error.actual, path.startsWith('/upload/'));
      if (!(error instanceof InternalServerError)) this.options.logger.error({ err: error, path }, 'fake route failed');
      return textReply(INTERNAL_ERROR_TEXT, 500);
    }
  }

  /** The jobs routes a path names, if the server has them (cancel routes: newer servers only). */
  private jobRoute(pathname: string): MethodTable | undefined {
    if (!this.options.jobsApi) return undefined;
    const newer = this.options.context.server.dialect !== '0.8.0';
    if (newer && pathname === '/api/jobs/cancel') return JOBS_CANCEL_ROUTE;
    if (newer && /^\/api\/jobs\/[^/]+\/cancel$/.test(pathname)) return JOB_CANCEL_ROUTE;
    return /^\/api\/jobs\/[^/]+$/.test(pathname) ? JOB_ROUTE : undefined;
  }

  /** aiohttp's 413: `request.read()` names the actual size; a form read by `post()` (uploads) does not. */
  private tooLarge(actual: number, form = false): Reply {
    const max = this.options.maxUploadBytes;
    return {
      status: 413,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
      body: form ? `Maximum request body size ${max} exceeded.` : `Maximum request body size ${max} exceeded, actual body size ${actual}`,
    };
  }

  private readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.removeAllListeners('data');
          req.resume();
          reject(new BodyTooLarge(size));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private send(req: IncomingMessage, res: ServerResponse, pathname: string, reply: Reply, fault: FaultVerdict): void {
    const write = () => {
      if (res.destroyed) return;
      if (fault.drop) {
        this.options.context.events.emit('response-dropped', { method: req.method ?? 'GET', path: pathname });
        res.socket?.destroy(); // processed, never answered: the lost answer
        return;
      }
      this.options.context.events.emit('http', { method: req.method ?? 'GET', path: pathname, status: reply.status });
      if (reply.takeover) {
        reply.takeover(req, res);
        return;
      }
      const headers: Record<string, string | number> = { ...reply.headers };
      if (reply.stream) {
        headers['Content-Length'] = reply.stream.length;
        res.writeHead(reply.status, headers);
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        pipeline(reply.stream.open(), res, () => undefined);
        return;
      }
      const body = reply.body ?? '';
      headers['Content-Length'] = Buffer.byteLength(body);
      res.writeHead(reply.status, headers);
      res.end(body);
    };
    const delay = Math.max(this.options.delayMs(), fault.lateMs);
    if (delay <= 0) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      this.pendingReplies.delete(timer);
      write();
    }, delay);
    this.pendingReplies.add(timer);
  }

  /** Drops replies still waiting out a `delayHttp` (server stop). */
  cancelPending(): void {
    for (const timer of this.pendingReplies) clearTimeout(timer);
    this.pendingReplies.clear();
  }
}
