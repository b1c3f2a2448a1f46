import { ComfyRxError } from '../../errors';

/** Why a webhook attempt failed. */
export type WebhookFailure = 'status' | 'timeout' | 'network';

/**
 * One webhook attempt failed: the receiver answered a non-2xx `status`, did not answer within the
 * timeout, or could not be reached. Retried with backoff; after the last attempt it is recorded on
 * the job. `url` is printable (no credentials, no query).
 */
export class ComfyWebhookError extends ComfyRxError {
  readonly code = 'COMFYRX_WEBHOOK';
  constructor(
    readonly url: string,
    readonly reason: WebhookFailure,
    readonly webhookId: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(
      reason === 'status'
        ? `Webhook ${webhookId} to ${url}: the receiver answered ${status}`
        : reason === 'timeout'
          ? `Webhook ${webhookId} to ${url}: no answer in time`
          : `Webhook ${webhookId} to ${url}: could not reach the receiver`,
      options,
    );
    this.name = 'ComfyWebhookError';
  }
}

/** What went wrong with the object storage. */
export type StorageFailure = 'no-such-bucket' | 'access-denied' | 'unreachable' | 'upload';

/**
 * Outputs could not be written to the object storage: the bucket does not exist, the credentials are
 * refused, the endpoint cannot be reached, or an upload failed. At worker start it stops the worker;
 * during a job it is retried with backoff and the job keeps the outputs' `/view` references.
 * Never carries credentials.
 */
export class ComfyStorageError extends ComfyRxError {
  readonly code = 'COMFYRX_STORAGE';
  constructor(
    message: string,
    readonly reason: StorageFailure,
    readonly bucket: string,
    readonly key?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ComfyStorageError';
  }
}
