import { Queue } from 'bullmq';
import type { Logger } from '../../log';
import { displayUrl } from '../../util/displayUrl';
import type { QueueConnection } from '../connection';
import type { JobData } from '../jobData';
import { redisError } from '../redisError';
import { DELIVERY_DEFAULTS, DELIVERY_JOB_NAME, type DeliveryJobData, deliveryQueueName, webhookId } from './deliveryJob';
import type { DeliveryRetryOptions } from './options';
import type { WebhookEvent } from './webhookEvent';

/** Where an {@link WebhookOutbox} writes. */
export interface WebhookOutboxOptions {
  readonly connection: QueueConnection;
  readonly prefix?: string;
  /** The job queue's name (the deliveries go to its delivery queue). */
  readonly queue: string;
  /** The URL of jobs that carry none (a worker's `--webhook`). */
  readonly defaultUrl?: string;
  readonly retry?: DeliveryRetryOptions;
  readonly log: Logger;
}

/** Delivery jobs are kept this long after they succeed (s), failed ones a week (for `comfyui-rx jobs`). */
const KEEP_DELIVERED_S = 24 * 3600;
const KEEP_FAILED_S = 7 * 24 * 3600;

/**
 * Puts webhook events in the delivery queue (same Redis, `<queue>.deliveries`), where any worker
 * holding the secret sends them with retries: durable, at least once. Each event of a job has one
 * delivery job id and one `webhook-id`, so a job taken over after a crash enqueues nothing twice.
 */
export class WebhookOutbox {
  private queue: Queue | undefined;

  constructor(private readonly options: WebhookOutboxOptions) {}

  /** The webhook of a job: its own, else the default; undefined when it has none. */
  target(data: JobData): { url: string; progress: boolean } | undefined {
    if (data.webhook) return { url: data.webhook.url, progress: data.webhook.progress ?? false };
    return this.options.defaultUrl ? { url: this.options.defaultUrl, progress: false } : undefined;
  }

  /**
   * Enqueues `event` for `url`, keyed by `key` (the event type, or a progress milestone). Resolves
   * once Redis has it (an existing delivery with the same key is left as it is).
   */
  async add(url: string, event: WebhookEvent, key: string = event.type): Promise<void> {
    const { jobId } = event.data;
    const data: DeliveryJobData = { v: 1, url, webhookId: webhookId(this.options.queue, jobId, key), type: event.type, jobId, body: JSON.stringify(event) };
    const retry = this.options.retry ?? {};
    this.queue ??= this.open();
    await this.queue.add(DELIVERY_JOB_NAME, data, {
      jobId: `${jobId}.${key}`,
      attempts: retry.attempts ?? DELIVERY_DEFAULTS.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs ?? DELIVERY_DEFAULTS.backoffMs },
      removeOnComplete: { age: KEEP_DELIVERED_S },
      removeOnFail: { age: KEEP_FAILED_S },
    });
    this.options.log.debug({ jobId, type: event.type, webhookId: data.webhookId, url: displayUrl(url) }, 'webhook enqueued');
  }

  async close(): Promise<void> {
    await this.queue?.close();
  }

  private open(): Queue {
    const queue = new Queue(deliveryQueueName(this.options.queue), { connection: { ...this.options.connection }, prefix: this.options.prefix });
    queue.on('error', (err) => this.options.log.warn({ err: redisError(err) }, 'redis error (webhook outbox)'));
    return queue;
  }
}
