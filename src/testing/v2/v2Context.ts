import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../http/reply';
import type { RouteContext } from '../http/routeContext';
import type { FakeAssetStore } from './fakeAssets';
import type { FakeEventStream } from './fakeEventStream';
import type { FakeV2Jobs, FakeV2Job } from './fakeV2Jobs';
import type { FakeV2Quirks } from './fakeV2Options';
import type { OutputAssetIds } from './outputAssetId';

/** A request to `/api/v2/*` as the v2 routes see it. */
export interface V2Request {
  /** As sent (`HEAD` and `DELETE` included). */
  readonly method: string;
  /** The path below `/api/v2` (`/jobs/{id}`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** `http://host:port` the client used (the proxy builds its links from it). */
  readonly origin: string;
  body(): Promise<Buffer>;
}

/** A route that answers by writing the response itself (an event stream). */
export type Takeover = (req: IncomingMessage, res: ServerResponse) => void;

/** What v2 routes read and change. */
export interface V2Context {
  readonly native: RouteContext;
  readonly jobs: FakeV2Jobs;
  readonly assets: FakeAssetStore;
  readonly outputIds: OutputAssetIds;
  quirks(): FakeV2Quirks;
  /** Idempotency keys already used (single-use; released when the upstream rejects). */
  readonly usedKeys: Set<string>;
  /** The native server's origin (the health answer names it). */
  readonly upstream: string;
  /** The `client_id` the proxy submits with (its execution messages come to the surface). */
  readonly proxySid: string;
  /** The URL of an asset's bytes for a client that came through `origin` (signed on another origin when so configured). */
  contentUrl(assetId: string, origin: string): string;
  /** Opens an event stream for a job (undefined when every slot is taken). */
  openStream(job: FakeV2Job, res: ServerResponse): FakeEventStream | undefined;
}

/** A v2 route. */
export type V2Handler = (request: V2Request, context: V2Context) => Reply | Promise<Reply>;
