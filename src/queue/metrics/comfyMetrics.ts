import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The prefix of every metric comfyui-rx registers. */
export const METRICS_PREFIX = 'comfyui_rx_';

/** The metrics of workers and pools, on one prom-client `Registry` (mount `registry.metrics()` anywhere). */
export interface ComfyMetrics {
  readonly registry: Registry;
  /** Jobs that reached a state: `completed`, `failed`, `retrying` (an attempt failed, another follows), `cancelled`. */
  readonly jobs: Counter<'state'>;
  /** Jobs running in this process now. */
  readonly jobsActive: Gauge;
  /** From the prompt starting on its server to its `done` (s), per server. */
  readonly promptDuration: Histogram<'server'>;
  /** From the prompt placed on its server to it starting there (s), per server: the server's queue. */
  readonly queueWait: Histogram<'server'>;
  /** From the job added to a worker taking it (s): the Redis queue. */
  readonly jobWait: Histogram;
  /** Bytes moved: `download` (outputs read from ComfyUI), `upload` (outputs written to object storage). */
  readonly bytes: Counter<'direction'>;
  /** 1 when the server answered its last health probe, else 0. */
  readonly serverUp: Gauge<'server'>;
  /** Prompts placed on the server and not finished. */
  readonly inFlight: Gauge<'server'>;
  /** Webhook attempts by outcome (`delivered`, `retrying`, `failed`) and event type. */
  readonly webhooks: Counter<'outcome' | 'type'>;
  /** Run before each scrape (they set `server_up` and `server_in_flight`). */
  readonly collectors: Set<() => void>;
}

const DURATION_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * Creates comfyui-rx's metrics (prefixed `comfyui_rx_`) on `registry` (default: a new one, so two
 * workers in one process never collide). Give it to `ComfyWorker({ metrics })` and `observePool`.
 * @example
 * const metrics = comfyMetrics();
 * app.get('/metrics', async (_req, res) => res.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
 */
export function comfyMetrics(registry: Registry = new Registry()): ComfyMetrics {
  const registers = [registry];
  const collectors = new Set<() => void>();
  return {
    collectors,
    registry,
    jobs: new Counter({ name: `${METRICS_PREFIX}jobs_total`, help: 'Jobs that reached a state', labelNames: ['state'], registers }),
    jobsActive: new Gauge({ name: `${METRICS_PREFIX}jobs_active`, help: 'Jobs running in this process', registers }),
    promptDuration: new Histogram({ name: `${METRICS_PREFIX}prompt_duration_seconds`, help: 'Prompt execution time on its server', labelNames: ['server'], buckets: DURATION_BUCKETS, registers }),
    queueWait: new Histogram({ name: `${METRICS_PREFIX}queue_wait_seconds`, help: "Time a prompt waited in its server's queue", labelNames: ['server'], buckets: DURATION_BUCKETS, registers }),
    jobWait: new Histogram({ name: `${METRICS_PREFIX}job_wait_seconds`, help: 'Time from a job added to a worker taking it', buckets: DURATION_BUCKETS, registers }),
    bytes: new Counter({ name: `${METRICS_PREFIX}bytes_total`, help: 'Bytes moved: download (from ComfyUI), upload (to object storage)', labelNames: ['direction'], registers }),
    serverUp: new Gauge({ name: `${METRICS_PREFIX}server_up`, help: 'The ComfyUI server answered its last health probe', labelNames: ['server'], registers, collect: () => collectors.forEach((collect) => collect()) }),
    inFlight: new Gauge({ name: `${METRICS_PREFIX}server_in_flight`, help: 'Prompts placed on the server and not finished', labelNames: ['server'], registers }),
    webhooks: new Counter({ name: `${METRICS_PREFIX}webhook_deliveries_total`, help: 'Webhook attempts by outcome', labelNames: ['outcome', 'type'], registers }),
  };
}
