/**
 * Metrics and health of a worker (and of a pool) on a real Redis and FakeComfyServer: /metrics
 * after a batch, /readyz through an outage of every server, a metrics port already in use.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import { failingImage, tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { runCliCaptured } from '../cli/__fixtures__/runCliCaptured';
import { ComfyPool } from '../pool/comfyPool';
import { FakeComfyServer } from '../testing';
import { REDIS_URL, requireRedis, uniqueQueueName } from './__fixtures__/redis';
import { ComfyJobQueue } from './ComfyJobQueue';
import { ComfyWorker } from './ComfyWorker';
import { comfyMetrics } from './metrics/comfyMetrics';
import { ComfyMetricsServerError } from './metrics/errors';
import { measurePrompts } from './metrics/measurePrompts';
import { observePool } from './metrics/observePool';
import { type MetricsServer, serveMetrics } from './metrics/serveMetrics';

jest.setTimeout(30_000);

const connection = { url: REDIS_URL };

/** The value of one sample of a Prometheus text exposition (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((label) => have.includes(label)) && have.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

describe('metrics and health', () => {
  let fake: FakeComfyServer;
  let client: ComfyClient;
  let queue: ComfyJobQueue;
  let worker: ComfyWorker;
  let server: MetricsServer;

  beforeAll(async () => {
    await requireRedis();
    fake = await FakeComfyServer.start({ nodeLatencyMs: 1 });
    client = new ComfyClient({ url: fake.url, lingerMs: 0 });
    queue = new ComfyJobQueue({ connection, name: uniqueQueueName('metrics') });
    worker = new ComfyWorker({ connection, name: queue.name, target: client, concurrency: 2 });
    await worker.waitUntilReady();
    server = await serveMetrics({ port: 0, host: '127.0.0.1', registry: worker.metrics.registry, ready: () => worker.readiness() });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.close();
    await queue?.obliterate();
    await queue?.close();
    client?.close();
    await fake?.stop();
  });

  it('/metrics shows the counts of a batch just run', async () => {
    const jobs = await queue.addBulk([...[1, 2, 3].map((i) => ({ workflow: tinyImage(`m-${i}`, 60 + i) })), { workflow: failingImage('m-boom', 64) }]);
    await Promise.all(jobs.map(({ id }) => queue.result(id).catch(() => undefined)));
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const serverLabel = { server: client.url };
    expect(sample(text, 'comfyui_rx_jobs_total', { state: 'completed' })).toBe(3);
    expect(sample(text, 'comfyui_rx_jobs_total', { state: 'failed' })).toBe(1);
    expect(sample(text, 'comfyui_rx_prompt_duration_seconds_count', serverLabel)).toBe(3);
    expect(sample(text, 'comfyui_rx_queue_wait_seconds_count', serverLabel)).toBe(4);
    expect(sample(text, 'comfyui_rx_job_wait_seconds_count')).toBe(4);
    expect(sample(text, 'comfyui_rx_jobs_active')).toBe(0);
    expect(sample(text, 'comfyui_rx_server_in_flight', serverLabel)).toBe(0);
    expect(sample(text, 'comfyui_rx_server_up', serverLabel)).toBe(1);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('/readyz turns unready when every ComfyUI server is down, and ready again when it is back', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, redis: true, servers: { [client.url]: true } });
    const port = fake.port;
    await fake.stop();
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, redis: true, servers: { [client.url]: false } });
    expect(sample(await (await fetch(`${server.url}/metrics`)).text(), 'comfyui_rx_server_up', { server: client.url })).toBe(0);
    fake = await FakeComfyServer.start({ port, nodeLatencyMs: 1 });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('a metrics port in use: serveMetrics rejects with ComfyMetricsServerError; the CLI worker exits before taking a job', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as AddressInfo).port;
    try {
      const error = await serveMetrics({ port, host: '127.0.0.1', registry: comfyMetrics().registry, ready: () => worker.readiness() }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ComfyMetricsServerError);
      expect(error).toMatchObject({ port, reason: 'EADDRINUSE', message: expect.stringContaining('the port is in use') });
      const idle = new ComfyJobQueue({ connection, name: uniqueQueueName('metrics-port') });
      try {
        await idle.add(tinyImage('m-waiting', 65));
        const { code, stderr } = await runCliCaptured(['--plain', 'worker', '--redis', REDIS_URL, '--queue', idle.name, '--url', fake.url, '--metrics-port', String(port), '--metrics-host', '127.0.0.1']);
        expect(code).not.toBe(0);
        expect(stderr).toContain('the port is in use');
        expect(await idle.counts()).toMatchObject({ waiting: 1, active: 0 });
      } finally {
        await idle.obliterate();
        await idle.close();
      }
    } finally {
      busy.close();
    }
  });

  it('a pool: measurePrompts times its runs per server and observePool reports its servers', async () => {
    const metrics = comfyMetrics();
    const pool = new ComfyPool({ servers: [{ url: fake.url, name: 'gpu1' }] });
    const stop = observePool(pool, metrics);
    try {
      await lastValueFrom(pool.run(tinyImage('m-pool', 66)).pipe(measurePrompts(metrics)));
      const text = await metrics.registry.metrics();
      expect(sample(text, 'comfyui_rx_prompt_duration_seconds_count', { server: 'gpu1' })).toBe(1);
      expect(sample(text, 'comfyui_rx_queue_wait_seconds_count', { server: 'gpu1' })).toBe(1);
      expect(sample(text, 'comfyui_rx_server_up', { server: 'gpu1' })).toBe(1);
      expect(sample(text, 'comfyui_rx_server_in_flight', { server: 'gpu1' })).toBe(0);
    } finally {
      stop();
      pool.close();
    }
  });
});
