import { ComfyConnectionError, ComfyHttpError, ComfyPromptLostError } from '../errors';
import { ComfyInputError } from '../inputs/errors';

/**
 * Whose fault a failed prompt is. `server`: the server could not be reached, dropped us for good,
 * answered 5xx, or forgot the prompt (restart), also while an input file was being uploaded to it:
 * the prompt may run elsewhere. `prompt`: anything else (execution and validation errors are the
 * workflow's; a missing or refused input file, interrupts and timeouts the caller's).
 */
export function classifyFailure(error: unknown): 'server' | 'prompt' {
  if (error instanceof ComfyInputError) return error.reason === 'upload-failed' ? classifyFailure(error.cause) : 'prompt';
  if (error instanceof ComfyConnectionError || error instanceof ComfyPromptLostError) return 'server';
  if (error instanceof ComfyHttpError && error.status >= 500) return 'server';
  return 'prompt';
}
