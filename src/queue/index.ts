/**
 * `comfyui-rx/queue`: durable ComfyUI jobs across processes on BullMQ and Redis (install `bullmq`
 * and `ioredis` to use it; the main entry never loads them). Importing it without bullmq throws
 * `ComfyMissingPeerError`, which says what to install.
 */
import './peers';
export { ComfyJobQueue, JOB_NAME, type CancelOutcome } from './ComfyJobQueue';
export { ComfyWorker } from './ComfyWorker';
export { ComfyJobQueueOptions, AddJobOptions, DEFAULT_JOB_ATTEMPTS, DEFAULT_JOB_BACKOFF_MS } from './options';
export { ComfyWorkerOptions, WORKER_DEFAULTS } from './workerOptions';
export { QueueConnection, describeConnection } from './connection';
export { JobData, JobRunOptions, JobResult, JobSavedFile, JobOutputReference, PromptRecord, SerializedError, JOB_DATA_VERSION } from './jobData';
export { JobEvent, JobState, isFinalJobEvent, type JobEventType } from './jobEvent';
export { JobProgress } from './jobProgress';
export { ComfyJobNotFoundError, ComfyJobCancelledError, ComfyJobDataError, ComfyReattachError, ComfyJobFailedError, ComfyMissingPeerError } from './errors';
export { serializeError, reviveError } from './serializeError';
export { isRetryable } from './isRetryable';
