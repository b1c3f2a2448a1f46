import type { PromptRequest } from '../protocol/api';
import type { RunOptions } from './runOptions';

/** A `POST /prompt` body that names its prompt (the id is made on the client). */
export type IdentifiedPromptRequest = PromptRequest & { readonly prompt_id: string };

/**
 * The `POST /prompt` body of one run: the workflow, our client id (the server sends the prompt's
 * messages to that socket) and the prompt id made on the client (docs/protocol.md rule 1: listen before posting),
 * plus the run options the server knows. Options left out stay out of the body.
 *
 * The workflow is posted as the caller gave it, not as the parsed graph: the schema only checks
 * the shape the client relies on and strips every key it does not know (custom nodes' extra
 * fields, `_meta` beyond `title`, ...), which the server and its nodes may still read.
 */
export function promptRequest(workflow: Record<string, unknown>, clientId: string, promptId: string, options: RunOptions = {}): IdentifiedPromptRequest {
  return {
    prompt: workflow,
    client_id: clientId,
    prompt_id: promptId,
    ...(options.extraData ? { extra_data: options.extraData } : {}),
    ...(options.number !== undefined ? { number: options.number } : {}),
    ...(options.front ? { front: true } : {}),
    ...(options.partialExecutionTargets ? { partial_execution_targets: options.partialExecutionTargets } : {}),
  };
}
