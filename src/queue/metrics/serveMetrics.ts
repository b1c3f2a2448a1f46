import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ComfyMetricsServerError } from './errors';
import type { Readiness } from './readiness';

/** Where and what {@link serveMetrics} serves. */
export interface MetricsServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default `0.0.0.0` (scraped from other containers). */
  readonly host?: string;
  readonly registry: Registry;
  /** Asked on each `/readyz` and before each `/metrics` (it refreshes `server_up`). */
  readonly ready: () => Promise<Readiness>;
}

/** A running metrics server. */
export interface MetricsServer {
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text), `/healthz` (200 while the process runs) and `/readyz` (200
 * when `ready()` says so, else 503; both with the checks as JSON).
 * @throws ComfyMetricsServerError when it cannot listen (port in use, not allowed).
 * @example const server = await serveMetrics({ port: 9464, registry: worker.metrics.registry, ready: () => worker.readiness() });
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const host = options.host ?? '0.0.0.0';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = async (): Promise<void> => {
      if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"alive":true}');
      if (path === '/readyz') {
        const readiness = await options.ready();
        return void res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(readiness));
      }
      if (path === '/metrics') {
        await options.ready().catch(() => undefined);
        const text = await options.registry.metrics();
        return void res.writeHead(200, { 'content-type': options.registry.contentType }).end(text);
      }
      res.writeHead(404).end();
    };
    answer().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end((err as Error).name);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ComfyMetricsServerError(options.port, host, err.code ?? err.message)));
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
