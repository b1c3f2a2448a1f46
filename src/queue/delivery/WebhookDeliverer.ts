import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { type Observable, Subject } from 'rxjs';
import type { Webhook } from 'standardwebhooks';
import type { Logger } from '../../log';
import { displayUrl } from '../../util/displayUrl';
import { formatIssues } from '../../util/formatIssues';
import type { QueueConnection } from '../connection';
import { JobData } from '../jobData';
import { redisError } from '../redisError';
import { serializeError } from '../serializeError';
import { DELIVERY_DEFAULTS, DeliveryJobData, deliveryQueueName } from './deliveryJob';
import type { DeliveryOutcome } from './deliveryOutcome';
import { sendWebhook } from './sendWebhook';

/** Settings of a {@link WebhookDeliverer}. */
export interface WebhookDelivererOptions {
  readonly connection: QueueConnection;
  readonly prefix?: string;
  /** The job queue's name. */
  readonly queue: string;
  readonly signer: Webhook;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  /** The worker's lock settings (a killed deliverer's attempt is taken over as fast as a job). */
  readonly lock: { readonly lockDuration: number; readonly lockRenewTime: number; readonly stalledInterval: number };
  readonly log: Logger;
}

/**
 * Sends the delivery queue's webhooks, signed with the secret this process holds: retried by BullMQ
 * with the backoff each delivery carries; after its last attempt the failure is recorded on the job
 * it is about (`deliveryFailures`). A deliverer killed mid-attempt loses nothing: another one takes
 * the delivery over when its lock expires, with the same `webhook-id`.
 */
export class WebhookDeliverer {
  readonly outcomes$: Observable<DeliveryOutcome>;
  private readonly outcomes = new Subject<DeliveryOutcome>();
  private readonly worker: Worker;
  private readonly jobs: Queue;

  constructor(private readonly options: WebhookDelivererOptions) {
    this.outcomes$ = this.outcomes.asObservable();
    const connection = { ...options.connection };
    this.jobs = new Queue(options.queue, { connection, prefix: options.prefix });
    this.jobs.on('error', (err) => options.log.warn({ err: redisError(err) }, 'redis error (webhook failures)'));
    this.worker = new Worker(deliveryQueueName(options.queue), (job) => this.deliver(job), {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? DELIVERY_DEFAULTS.concurrency,
      ...options.lock,
    });
    this.worker.on('error', (err) => options.log.warn({ err: redisError(err) }, 'redis error (webhook deliverer)'));
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all([this.worker.waitUntilReady(), this.jobs.waitUntilReady()]);
  }

  /** Stops taking deliveries; an attempt in flight ends first (bounded by the timeout). */
  async close(force = false): Promise<void> {
    await this.worker.close(force);
    await this.jobs.close();
    this.outcomes.complete();
  }

  private async deliver(job: Job): Promise<{ status: number }> {
    const parsed = DeliveryJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a comfyui-rx webhook delivery: ${formatIssues(parsed.error.issues)}`);
    const delivery = parsed.data;
    const attempt = job.attemptsMade + 1;
    const base = { jobId: delivery.jobId, webhookId: delivery.webhookId, type: delivery.type, attempt };
    const log = { ...base, url: displayUrl(delivery.url) };
    try {
      const status = await sendWebhook(this.options.signer, delivery, this.options.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs);
      this.options.log.debug({ ...log, status }, 'webhook delivered');
      this.outcomes.next({ outcome: 'delivered', ...base, status });
      return { status };
    } catch (err) {
      const error = serializeError(err);
      const last = attempt >= (job.opts.attempts ?? 1);
      this.options.log[last ? 'error' : 'warn']({ ...log, err: error }, last ? 'webhook failed its last attempt' : 'webhook attempt failed: will retry');
      if (last) await this.record(delivery, attempt, error);
      const status = typeof error.fields.status === 'number' ? error.fields.status : undefined;
      this.outcomes.next({ outcome: last ? 'failed' : 'retrying', ...base, error, ...(status !== undefined ? { status } : {}) });
      throw err;
    }
  }

  /** Appends the failure to the job's data (terminal events come after the job's own last write). */
  private async record(delivery: DeliveryJobData, attempts: number, error: ReturnType<typeof serializeError>): Promise<void> {
    try {
      const job = await Job.fromId(this.jobs, delivery.jobId);
      const data = JobData.safeParse(job?.data);
      if (!job || !data.success) return;
      const failure = { type: delivery.type, webhookId: delivery.webhookId, url: displayUrl(delivery.url), attempts, error, at: Date.now() };
      await job.updateData({ ...data.data, deliveryFailures: [...(data.data.deliveryFailures ?? []), failure] });
    } catch (err) {
      this.options.log.warn({ err: redisError(err), jobId: delivery.jobId }, 'could not record the failed webhook on the job');
    }
  }
}
