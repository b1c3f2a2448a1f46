import {
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyHttpError,
  ComfyInterruptedError,
  ComfyInvalidPromptError,
  ComfyInvalidUiWorkflowError,
  ComfyMissingNodeTypesError,
  ComfyOptionsError,
  ComfyPromptLostError,
  ComfyPromptRejectedError,
  ComfyProtocolError,
  ComfyServerWouldFailError,
  ComfyTimeoutError,
  ComfyValidationError,
} from '../errors';
import { ComfyNoServerError, ComfyPoolClosedError } from '../pool/errors';
import { ComfyInputError } from '../inputs/errors';
import { toError } from '../util/toError';
import { ComfyJobCancelledError, ComfyJobDataError, ComfyJobFailedError, ComfyJobNotFoundError, ComfyReattachError } from './errors';
import type { SerializedError } from './jobData';
import { ComfyStorageError, ComfyWebhookError } from './delivery/errors';

/** Fields never copied: the stack stays in the worker's logs, the cause may hold anything. */
const SKIPPED = new Set(['name', 'message', 'code', 'stack', 'cause']);

/** The typed errors a producer re-creates by name (anything else becomes a `ComfyJobFailedError`). */
const KNOWN: Readonly<Record<string, { prototype: Error }>> = {
  ComfyConnectionError,
  ComfyExecutionError,
  ComfyHttpError,
  ComfyInterruptedError,
  ComfyOptionsError,
  ComfyPromptLostError,
  ComfyProtocolError,
  ComfyTimeoutError,
  /** Jobs stored before the validation errors were split carry the parent's name. */
  ComfyValidationError,
  ComfyPromptRejectedError,
  ComfyInvalidPromptError,
  ComfyInvalidUiWorkflowError,
  ComfyServerWouldFailError,
  ComfyMissingNodeTypesError,
  ComfyInputError,
  ComfyNoServerError,
  ComfyPoolClosedError,
  ComfyJobCancelledError,
  ComfyJobDataError,
  ComfyJobNotFoundError,
  ComfyReattachError,
  ComfyWebhookError,
  ComfyStorageError,
};

/** A JSON-safe copy of `value` (functions, symbols and cycles dropped), or undefined. */
function jsonSafe(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An error as a worker stores it in the job: class name, stable code, message and own fields. */
export function serializeError(err: unknown): SerializedError {
  const error = toError(err);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (SKIPPED.has(key)) continue;
    const safe = jsonSafe(value);
    if (safe !== undefined) fields[key] = safe;
  }
  const code = (error as { code?: unknown }).code;
  return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message, fields };
}

/**
 * The typed error a worker serialized, re-created on this side: the same class (so `instanceof`
 * works) with the same fields; unknown classes become {@link ComfyJobFailedError}.
 */
export function reviveError(serialized: SerializedError): Error {
  const ctor = KNOWN[serialized.name];
  if (!ctor) return new ComfyJobFailedError(serialized.message, serialized.name, serialized.code, serialized.fields);
  const error = Object.create(ctor.prototype) as Error;
  Object.assign(error, serialized.fields);
  Object.defineProperties(error, {
    message: { value: serialized.message, writable: true, configurable: true },
    name: { value: serialized.name, writable: true, configurable: true },
    stack: { value: `${serialized.name}: ${serialized.message}\n    (raised in a ComfyWorker)`, writable: true, configurable: true },
  });
  if (serialized.code !== undefined) Object.defineProperty(error, 'code', { value: serialized.code, enumerable: true, configurable: true });
  return error;
}
