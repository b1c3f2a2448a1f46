import { z } from 'zod';

/**
 * Schemas of what ComfyUI's `validate_prompt` answers to `POST /prompt` (docs/protocol.md §6.1),
 * in the exact shapes the server sends: every reason carries `details` and `extra_info`, every
 * node error its `dependent_outputs` and `class_type`. `validatePrompt` (src/workflow/) returns
 * these, the FakeComfyServer serves them, and a client-side check fails with them.
 */

/** One reason, in `error` or in a node's `errors`: `{type, message, details, extra_info}`. */
export const ServerValidationReason = z.object({
  type: z.string(),
  message: z.string(),
  details: z.string(),
  extra_info: z.record(z.string(), z.unknown()),
});
export type ServerValidationReason = z.infer<typeof ServerValidationReason>;

/** One node's entry of `node_errors`: its own reasons and the failing outputs that reach it. */
export const ServerNodeError = z.object({
  errors: z.array(ServerValidationReason),
  dependent_outputs: z.array(z.string()),
  class_type: z.string(),
});
export type ServerNodeError = z.infer<typeof ServerNodeError>;

/** `node_errors`: node id -> its error. */
export const ServerNodeErrors = z.record(z.string(), ServerNodeError);
export type ServerNodeErrors = z.infer<typeof ServerNodeErrors>;

/**
 * 200: at least one output is valid. `node_errors` lists the failing outputs' nodes; `outputs`
 * are the outputs that run (`outputs_to_execute`) and `prompt` the prompt as the server keeps it,
 * with its coercions applied (`"16"` -> 16, `{"__value__": v}` -> v).
 */
export const PromptAccepted = z.object({
  status: z.literal(200),
  node_errors: ServerNodeErrors,
  outputs: z.array(z.string()),
  prompt: z.record(z.string(), z.unknown()),
});
export type PromptAccepted = z.infer<typeof PromptAccepted>;

/** 400: the server's JSON body `{error, node_errors}`. */
export const PromptRejected = z.object({
  status: z.literal(400),
  error: ServerValidationReason,
  node_errors: ServerNodeErrors,
});
export type PromptRejected = z.infer<typeof PromptRejected>;

/**
 * 500: `validate_prompt` itself raised (a prompt or node that is not a JSON object, an unhashable
 * `class_type`...), and aiohttp answers `500 Internal Server Error` as plain text. `error` names
 * the Python exception (`type` `server_exception`, `extra_info.exception_type`) for our callers;
 * the server sends no such body.
 */
export const PromptCrashed = z.object({
  status: z.literal(500),
  error: ServerValidationReason,
  node_errors: ServerNodeErrors,
});
export type PromptCrashed = z.infer<typeof PromptCrashed>;

/** What `POST /prompt` answers after validation, by status. */
export const PromptValidation = z.discriminatedUnion('status', [PromptAccepted, PromptRejected, PromptCrashed]);
export type PromptValidation = z.infer<typeof PromptValidation>;
