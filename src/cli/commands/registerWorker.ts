import { EXIT_CODES_HELP } from '../exitCodes';
import { optionValues as v } from '../optionValues';
import type { RegisterCommand } from './RegisterCommand';

/** The flags of `comfyui-rx worker` as commander parses them. */
interface WorkerFlags {
  redis: string;
  queue: string;
  concurrency?: number;
  out?: string;
  lockDuration?: number;
  lockRenew?: number;
  stalledInterval?: number;
  drainTimeout?: number;
  webhookSecret?: string;
  webhook?: string;
  webhookAttempts?: number;
  webhookBackoff?: number;
  webhookTimeout?: number;
  metricsPort?: number;
  metricsHost?: string;
  s3?: string;
  s3Endpoint?: string;
  s3Presign?: number;
}

/** `comfyui-rx worker --redis <url> --queue <name>`: see {@link workerCommand} in `./workerCommand`. */
export const registerWorker: RegisterCommand = (program, withContext) => {
  program
    .command('worker')
    .description('run the jobs of a Redis queue on ComfyUI servers (--url A or --url A,B,... for a pool) until SIGTERM or Ctrl-C')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379 (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .option('--concurrency <n>', 'jobs at once (default: the pool capacity, 1 for one server)', v.positiveInt)
    .option('--out <dir>', 'save outputs under this (shared) folder, one sub-folder per job; without it, results list /view URLs')
    .option('--lock-duration <ms>', "lock of an active job (default 5000): a dead worker's jobs are taken over within this + --stalled-interval", v.positiveInt)
    .option('--lock-renew <ms>', 'how often the lock is renewed (default 1000); an event loop blocked less than lock-duration - lock-renew keeps its jobs', v.positiveInt)
    .option('--stalled-interval <ms>', 'how often workers look for jobs whose lock expired (default 2000)', v.positiveInt)
    .option('--drain-timeout <ms>', 'on SIGTERM / Ctrl-C, how long active jobs may finish before they are left to be reattached', v.nonNegativeInt)
    .option('--s3 <s3://bucket/prefix>', 'stream outputs into this bucket, under prefix/<job id>/ (credentials and region from the AWS environment variables)')
    .option('--s3-endpoint <url>', 'an S3-compatible endpoint (MinIO, R2, ...): path-style URLs')
    .option('--s3-presign <seconds>', 'also list a presigned GET URL of each object, valid this long', v.positiveInt)
    .option('--metrics-port <port>', 'serve /metrics (Prometheus), /healthz and /readyz on this port', v.port)
    .option('--metrics-host <host>', 'address the metrics server listens on (default 0.0.0.0)')
    .option('--webhook-secret <whsec>', 'sign webhooks with this Standard Webhooks secret (whsec_...); prefer COMFYUI_RX_WEBHOOK_SECRET, which no process list shows')
    .option('--webhook <url>', 'webhook of jobs added without one (needs a secret)')
    .option('--webhook-attempts <n>', 'attempts of one webhook delivery (default 10)', v.positiveInt)
    .option('--webhook-backoff <ms>', 'first retry of a webhook after this, doubling each time (default 7000: 10 attempts span an hour)', v.nonNegativeInt)
    .option('--webhook-timeout <ms>', 'a receiver that has not answered after this is a failed attempt (default 10000)', v.positiveInt)
    .addHelpText('after', `\nExamples:\n  comfyui-rx worker --redis redis://127.0.0.1:6379 --queue comfy --url http://gpu1:8188,http://gpu2:8188 --out out\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, options: WorkerFlags) =>
        import('./workerCommand').then(({ workerCommand }) =>
          workerCommand(ctx, {
            redis: options.redis,
            queue: options.queue,
            concurrency: options.concurrency,
            out: options.out,
            lockDurationMs: options.lockDuration,
            lockRenewMs: options.lockRenew,
            stalledIntervalMs: options.stalledInterval,
            drainTimeoutMs: options.drainTimeout,
            webhookSecret: options.webhookSecret,
            webhook: options.webhook,
            webhookAttempts: options.webhookAttempts,
            webhookBackoffMs: options.webhookBackoff,
            webhookTimeoutMs: options.webhookTimeout,
            metricsPort: options.metricsPort,
            s3: options.s3,
            s3Endpoint: options.s3Endpoint,
            s3PresignS: options.s3Presign,
            metricsHost: options.metricsHost,
          }),
        ),
      ),
    );
};
