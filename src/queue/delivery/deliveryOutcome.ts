import type { SerializedError } from '../jobData';
import type { WebhookEventType } from './webhookEvent';

/** What became of one webhook attempt (a worker's `deliveries$`, and the metrics). */
export interface DeliveryOutcome {
  /** `delivered`: a 2xx answer; `retrying`: failed, another attempt follows; `failed`: the last attempt failed. */
  readonly outcome: 'delivered' | 'retrying' | 'failed';
  readonly jobId: string;
  readonly webhookId: string;
  readonly type: WebhookEventType;
  /** 1-based. */
  readonly attempt: number;
  readonly status?: number;
  readonly error?: SerializedError;
}
