import { ComfyClient } from '../../client';
import { ComfyPool } from '../../pool/comfyPool';
import type { WorkerWebhookOptions } from '../../queue/delivery/options';
import type { Readiness } from '../../queue/metrics/readiness';
import { CliUsageError } from '../CliUsageError';
import type { CliContext } from '../CliContext';
import { ExitCode } from '../exitCodes';
import { serverUrl } from '../serverUrl';
import { describeJobError, loadQueue, redisConnection } from './loadQueue';
import { clientOptions } from '../clientOptions';

/** Options of `comfyui-rx worker`. */
export interface WorkerCommandOptions {
  readonly redis: string;
  readonly queue: string;
  readonly concurrency?: number;
  readonly out?: string;
  /** BullMQ lock (ms): a dead worker's jobs are taken over within this + `stalledIntervalMs` after it stopped. */
  readonly lockDurationMs?: number;
  /** How often the lock is renewed (ms). */
  readonly lockRenewMs?: number;
  /** How often workers look for jobs whose lock expired (ms). */
  readonly stalledIntervalMs?: number;
  /** `close()` bound (ms) on SIGTERM / Ctrl-C. */
  readonly drainTimeoutMs?: number;
  /** The webhook signing secret (else `COMFYUI_RX_WEBHOOK_SECRET`). */
  readonly webhookSecret?: string;
  /** Webhook of jobs without one. */
  readonly webhook?: string;
  readonly webhookAttempts?: number;
  readonly webhookBackoffMs?: number;
  readonly webhookTimeoutMs?: number;
  /** Serve /metrics, /healthz and /readyz on this port. */
  readonly metricsPort?: number;
  readonly metricsHost?: string;
  /** `s3://bucket/prefix`: outputs go there. */
  readonly s3?: string;
  readonly s3Endpoint?: string;
  /** Presigned GET URLs valid this long (s). */
  readonly s3PresignS?: number;
}

/** `make()`, or its error after `cleanup()` (options refused: let go of what was opened before). */
async function constructed<T>(cleanup: () => Promise<void>, make: () => T): Promise<T> {
  try {
    return make();
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The worker's webhook settings from the flags and the environment (the secret never printed). */
function webhookSettings(options: WorkerCommandOptions, env: NodeJS.ProcessEnv, secretEnv: string): WorkerWebhookOptions | undefined {
  const secret = options.webhookSecret ?? env[secretEnv];
  if (!secret) {
    if (options.webhook) throw new CliUsageError(`--webhook needs a signing secret: set ${secretEnv} (or --webhook-secret)`);
    return undefined;
  }
  return {
    secret,
    ...(options.webhook ? { url: options.webhook } : {}),
    ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
    retry: { ...(options.webhookAttempts ? { attempts: options.webhookAttempts } : {}), ...(options.webhookBackoffMs !== undefined ? { backoffMs: options.webhookBackoffMs } : {}) },
  };
}

/**
 * `comfyui-rx worker`: runs the jobs of a queue on one server (`--url A`) or a pool (`--url A,B`)
 * until SIGTERM or Ctrl-C, which stop taking jobs and let the active ones finish within a bound
 * (what is left is reattached later by another worker, not run again). One line per job state change.
 */
export async function workerCommand(ctx: CliContext, options: WorkerCommandOptions): Promise<ExitCode> {
  const { ComfyWorker, WEBHOOK_SECRET_ENV, serveMetrics, comfyMetrics, parseS3Url } = await loadQueue();
  if (options.s3 && options.out) throw new CliUsageError('--out and --s3 exclude each other');
  const s3 = options.s3
    ? { ...parseS3Url(options.s3), ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}), ...(options.s3PresignS ? { presignExpiresInS: options.s3PresignS } : {}) }
    : undefined;
  const webhooks = webhookSettings(options, ctx.env, WEBHOOK_SECRET_ENV);
  // the metrics server listens before the worker takes any job: a port in use stops it with nothing taken
  const registry = comfyMetrics();
  let ready: () => Promise<Readiness> = () => Promise.resolve({ ready: false, redis: false, servers: {} });
  const metrics = options.metricsPort === undefined ? undefined : await serveMetrics({ port: options.metricsPort, host: options.metricsHost, registry: registry.registry, ready: () => ready() });
  const connection = redisConnection(options.redis);
  const urls = (ctx.urlFlag ?? serverUrl(undefined, ctx.env).url).split(',').map((url) => serverUrl(url.trim(), {}).url);
  const target =
    urls.length === 1
      ? new ComfyClient({ url: urls[0] as string, ...clientOptions(ctx) })
      : new ComfyPool({ servers: urls.map((url) => ({ url, api: ctx.api, ...(ctx.apiKey ? { apiKey: ctx.apiKey } : {}) })), logger: ctx.logger });
  const worker = await constructed(async () => {
    await metrics?.close();
    target.close();
  }, () => new ComfyWorker({
    metrics: registry,
    connection,
    name: options.queue,
    target,
    concurrency: options.concurrency,
    out: s3 ? { s3 } : options.out ? { dir: options.out } : undefined,
    logger: ctx.logger,
    lockDurationMs: options.lockDurationMs,
    lockRenewMs: options.lockRenewMs,
    stalledIntervalMs: options.stalledIntervalMs,
    drainTimeoutMs: options.drainTimeoutMs,
    webhooks,
  }));
  ready = () => worker.readiness();
  const line = (value: Record<string, unknown>, text: string): void => ctx.out(ctx.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  worker.activity$.subscribe((event) => {
    switch (event.type) {
      case 'active':
        return line(event, `job ${event.jobId} active on ${event.server} (prompt ${event.promptId}${event.reattached ? ', reattached' : ''})`);
      case 'completed':
        return line(event, `job ${event.jobId} completed in ${(event.result.elapsedMs / 1000).toFixed(1)}s: ${event.result.objects?.length || event.result.files.length || event.result.references.length} file(s)`);
      case 'failed':
        return line(event, `job ${event.jobId} failed: ${describeJobError(event.error)}${event.willRetry ? ' (will retry)' : ''}`);
      default:
        return undefined;
    }
  });
  try {
    await worker.waitUntilReady(); // with --s3: the bucket is checked first (ComfyStorageError)
  } catch (err) {
    await worker.close();
    await metrics?.close();
    target.close();
    throw err;
  }
  worker.deliveries$.subscribe((d) => {
    if (d.outcome !== 'retrying') line({ ...d, event: d.type, type: `webhook-${d.outcome}` }, `webhook ${d.webhookId} (${d.type} of job ${d.jobId}) ${d.outcome} after ${d.attempt} attempt(s)${d.status ? `: ${d.status}` : d.error ? `: ${d.error.message}` : ''}`);
  });
  if (metrics) line({ type: 'metrics', url: metrics.url }, `metrics on ${metrics.url}/metrics (health: /healthz, /readyz)`);
  line(
    { type: 'ready', queue: options.queue, redis: worker.where, servers: urls.length, concurrency: worker.concurrency, webhooks: webhooks !== undefined },
    `worker ready: queue ${options.queue} on ${worker.where}, ${urls.length} server(s), concurrency ${worker.concurrency}${webhooks ? ', signing webhooks' : ''}`,
  );
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    process.once('SIGTERM', () => resolve());
  });
  line({ type: 'closing' }, 'worker closing: no new jobs; waiting for the active ones');
  await metrics?.close();
  const { drained } = await worker.close();
  line({ type: 'closed', drained }, drained ? 'worker closed: every active job finished' : 'worker closed: jobs still running are left to their servers and will be reattached');
  if (drained) {
    if (target instanceof ComfyPool) target.close();
    else target.close();
  }
  return ExitCode.ok;
}
