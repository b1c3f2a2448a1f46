import { ComfyPromptRejectedError } from '../errors';

/**
 * The CLI's `stopOnError` for its batches: the server rejected the item's prompt. Every item of a
 * `generate` or `run --count` is the same workflow with another text, seed or input, so the others would
 * be rejected the same way: the batch stops and the rest is not sent.
 * @example generate({ ..., stopOnError: rejectedWorkflow })
 */
export function rejectedWorkflow(error: Error): boolean {
  return error instanceof ComfyPromptRejectedError;
}
