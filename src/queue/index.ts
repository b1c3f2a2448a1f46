/**
 * `comfyui-rx/queue`: durable ComfyUI jobs across processes on BullMQ and Redis (install `bullmq`
 * and `ioredis` to use it; the main entry never loads them). Importing it without bullmq throws
 * `ComfyMissingPeerError`, which says what to install.
 */
import './peers';
export { ComfyJobQueue, JOB_NAME, type CancelOutcome } from './ComfyJobQueue';
export { ComfyWorker } from './ComfyWorker';
export { type ComfyJobQueueOptions, type AddJobOptions, DEFAULT_JOB_ATTEMPTS, DEFAULT_JOB_BACKOFF_MS } from './options';
export { type ComfyWorkerOptions, WORKER_DEFAULTS } from './workerOptions';
export { type QueueConnection, describeConnection } from './connection';
export { JobData, DeliveryFailure, JobStoredObject, type JobRunOptions, JobResult, JobSavedFile, JobOutputReference, PromptRecord, SerializedError, JOB_DATA_VERSION } from './jobData';
export { JobEvent, JobState, isFinalJobEvent, type JobEventType } from './jobEvent';
export { JobProgress } from './jobProgress';
export { ComfyJobNotFoundError, ComfyJobCancelledError, ComfyJobDataError, ComfyReattachError, ComfyJobFailedError, ComfyMissingPeerError } from './errors';
export { serializeError, reviveError } from './serializeError';
export { isRetryable } from './isRetryable';
export { ComfyWebhookError, ComfyStorageError, type WebhookFailure, type StorageFailure } from './delivery/errors';
export type { WorkerWebhookOptions, DeliveryRetryOptions, JobWebhook } from './delivery/options';
export { WebhookEvent, WebhookEventType, DeliveredFile } from './delivery/webhookEvent';
export { DELIVERY_DEFAULTS, deliveryQueueName, webhookId } from './delivery/deliveryJob';
export type { DeliveryOutcome } from './delivery/deliveryOutcome';
export { webhookSigner, WEBHOOK_SECRET_ENV } from './delivery/webhookSecret';
export { checkWebhookUrl } from './delivery/webhookUrl';
export { comfyMetrics, METRICS_PREFIX, type ComfyMetrics } from './metrics/comfyMetrics';
export { measurePrompts } from './metrics/measurePrompts';
export { observePool } from './metrics/observePool';
export { serveMetrics, type MetricsServer, type MetricsServerOptions } from './metrics/serveMetrics';
export type { Readiness } from './metrics/readiness';
export { ComfyMetricsServerError } from './metrics/errors';
export { parseS3Url, type S3OutputOptions } from './delivery/s3Options';
export type { StoredObject } from './delivery/s3Store';
