import { randomUUID } from 'node:crypto';
import type { Workflow } from '../../protocol';
import { validatePrompt } from '../../workflow/validate/validatePrompt';
import { pyFloat, pyFloatText, pyStr } from '../../workflow/validate/python';
import { InternalServerError, isJsonObject, jsonReply, rawJsonReply, readJson } from './reply';
import type { Handler } from './routeContext';

/** Keys ComfyUI keeps out of `extra_data` (and out of history). */
const SENSITIVE_EXTRA_DATA_KEYS = ['auth_token_comfy_org', 'api_key_comfy_org'];

const noPrompt = () =>
  jsonReply({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} }, 400);

/**
 * `POST /prompt`: counter semantics (every POST without `number` advances it, failures too),
 * client-given `prompt_id` verbatim (newer servers: canonical UUIDs only), validation with the
 * 400 bodies of the version the fake answers as (newer ones after their node replacements), and
 * the `status` broadcast before the answer.
 */
export const postPrompt: Handler = async (request, context) => {
  const json = await readJson(request);
  if (typeof json === 'number' || typeof json === 'boolean' || json === null) throw new InternalServerError();
  const body: Record<string, unknown> = isJsonObject(json) ? json : {};

  let number: number;
  const explicitNumber = 'number' in body;
  if (explicitNumber) {
    try {
      number = pyFloat(body.number);
    } catch (cause) {
      throw new InternalServerError(cause);
    }
  } else {
    number = context.queue.nextNumber(Boolean(body.front));
  }
  if (!('prompt' in body)) return noPrompt();

  // 0.8.0 takes any prompt_id (str()-coerced); newer servers mint one for null and accept only canonical UUIDs (checked by validatePrompt).
  const newer = context.server.dialect !== '0.8.0';
  const given = body.prompt_id;
  const promptId = newer ? (given === undefined || given === null ? randomUUID() : pyStr(given)) : 'prompt_id' in body ? pyStr(given) : randomUUID();
  context.promptPosts.set(promptId, (context.promptPosts.get(promptId) ?? 0) + 1);

  const env = { files: context.files };
  const outcome = validatePrompt(body.prompt, context.catalog.objectInfoIndex(env), {
    partialExecutionTargets: body.partial_execution_targets,
    env: { fileExists: (name) => context.files.resolveAnnotated(name) !== undefined },
    server: context.server.traits,
    promptId: newer ? given : undefined,
  });
  if (outcome.status === 500) throw new InternalServerError(outcome.error);
  if (body.extra_data !== undefined && !isJsonObject(body.extra_data)) throw new InternalServerError();
  const extraData: Record<string, unknown> = { ...((body.extra_data as Record<string, unknown> | undefined) ?? {}) };
  if ('client_id' in body) extraData.client_id = body.client_id;
  const usageSource = request.headers['comfy-usage-source'];
  if (newer && !('comfy_usage_source' in extraData) && typeof usageSource === 'string' && usageSource !== '') extraData.comfy_usage_source = usageSource;
  if (outcome.status === 400) return jsonReply({ error: outcome.error, node_errors: outcome.node_errors }, 400);

  for (const key of SENSITIVE_EXTRA_DATA_KEYS) delete extraData[key];
  extraData.create_time = Date.now();
  const clientId = extraData.client_id === null || extraData.client_id === undefined ? undefined : pyStr(extraData.client_id);
  // Every node passed validate_prompt's class check: the coerced prompt is a workflow the executor runs.
  context.worker.enqueue({ number, promptId, prompt: outcome.prompt as Workflow, extraData, outputs: outcome.outputs, clientId });
  // A client-given number is a Python float: echo it as one (`5.0`).
  const numberText = explicitNumber ? pyFloatText(number) : String(number);
  return rawJsonReply(`{"prompt_id":${JSON.stringify(promptId)},"number":${numberText},"node_errors":${JSON.stringify(outcome.node_errors)}}`);
};

/** `GET /prompt`: `{exec_info: {queue_remaining}}`. */
export const getPrompt: Handler = (_request, context) => jsonReply({ exec_info: { queue_remaining: context.queue.remaining() } });
