import { ComfyRxError } from '../errors';

/** No job with this id in the queue (never added, or removed by BullMQ's retention settings). */
export class ComfyJobNotFoundError extends ComfyRxError {
  readonly code = 'COMFYRX_JOB_NOT_FOUND';
  constructor(readonly jobId: string, readonly queue: string) {
    super(`No job ${jobId} in queue ${queue}`);
    this.name = 'ComfyJobNotFoundError';
  }
}

/** The job was cancelled (`ComfyJobQueue.cancel`): removed while waiting, or interrupted while running. */
export class ComfyJobCancelledError extends ComfyRxError {
  readonly code = 'COMFYRX_JOB_CANCELLED';
  constructor(readonly jobId: string, readonly reason: string = 'cancelled') {
    super(`Job ${jobId} was cancelled: ${reason}`);
    this.name = 'ComfyJobCancelledError';
  }
}

/** A job's data is not what this version of comfyui-rx understands (another version wrote it, or not comfyui-rx). */
export class ComfyJobDataError extends ComfyRxError {
  readonly code = 'COMFYRX_JOB_DATA';
  constructor(readonly jobId: string, readonly details: string) {
    super(`Job ${jobId} has invalid data: ${details}`);
    this.name = 'ComfyJobDataError';
  }
}

/**
 * A job taken over after a crash names a server this worker's target does not have, so the worker
 * cannot ask it about the prompt (retried: a worker that has that server may take it).
 */
export class ComfyReattachError extends ComfyRxError {
  readonly code = 'COMFYRX_REATTACH';
  constructor(readonly jobId: string, readonly promptId: string, readonly server: string) {
    super(`Job ${jobId}: its prompt ${promptId} went to server '${server}', which is not in this worker's target; not resubmitting (it may have run there)`);
    this.name = 'ComfyReattachError';
  }
}

/** A job failed in a worker with an error this process does not know by name (another version). */
export class ComfyJobFailedError extends ComfyRxError {
  readonly code = 'COMFYRX_JOB_FAILED';
  constructor(
    message: string,
    readonly remoteName: string,
    readonly remoteCode: string | undefined,
    readonly fields: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ComfyJobFailedError';
  }
}

/** `comfyui-rx/queue` was imported without its optional peer dependencies installed: `packages` says what to install. */
export class ComfyMissingPeerError extends ComfyRxError {
  readonly code = 'COMFYRX_MISSING_PEER';
  constructor(readonly packages: readonly string[]) {
    super(`comfyui-rx/queue needs ${packages.join(' and ')} (optional peer ${packages.length === 1 ? 'dependency' : 'dependencies'} of comfyui-rx): npm install ${packages.join(' ')}`);
    this.name = 'ComfyMissingPeerError';
  }
}
