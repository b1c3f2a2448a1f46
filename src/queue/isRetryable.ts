import { classifyFailure } from '../pool/classifyFailure';
import { ComfyPoolClosedError } from '../pool/errors';
import { ComfyReattachError } from './errors';

/**
 * Whether a failed attempt is worth another (per the job's `attempts`): lost connections, 5xx,
 * lost prompts (the server's fault, the pool's rule), a worker or pool shutting down, a server
 * this worker does not have. Validation, missing node types, execution errors, interrupts,
 * timeouts and cancellations are the workflow's or the caller's: not retried.
 */
export function isRetryable(error: unknown): boolean {
  return classifyFailure(error) === 'server' || error instanceof ComfyPoolClosedError || error instanceof ComfyReattachError;
}
