import { ComfyPromptRejectedError, ComfyServerWouldFailError } from '../../errors';
import { PromptErrorBody } from '../../protocol/api';
import type { PromptCrashed, PromptRejected } from '../../protocol/validation';
import { describeRejection } from '../../util/describeRejection';

/**
 * The error of a prompt that offline validation rejects: for a 400, the very
 * `ComfyPromptRejectedError` `ComfyHttp.queuePrompt` makes of the server's 400 (same message, type,
 * `nodeErrors` and details); for a prompt the server would crash on (its 500), a
 * `ComfyServerWouldFailError` with `errorType` `server_exception` and the Python exception as details.
 */
export function rejectionError(answer: PromptRejected | PromptCrashed): ComfyPromptRejectedError | ComfyServerWouldFailError {
  if (answer.status === 500) {
    return new ComfyServerWouldFailError(`The server would fail on this prompt (500 Internal Server Error): ${answer.error.message}`, answer.error.type, answer.error.details);
  }
  const { error, node_errors } = PromptErrorBody.parse({ error: answer.error, node_errors: answer.node_errors });
  return new ComfyPromptRejectedError(describeRejection(error.message, node_errors), error.type, node_errors, error.details);
}
