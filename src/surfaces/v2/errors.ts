import { BODY_EXCERPT_CHARS } from '../../constants';
import { ComfyHttpError, ComfyValidationError } from '../../errors';
import { NodeErrors } from '../../protocol/api';
import { V2ErrorEnvelope } from './wire';

/** What a v2 error answer said: its envelope and the server's request id. */
export interface V2ErrorInfo {
  /** The envelope's machine code (`invalid_workflow`, `insufficient_credits`, ...); `undefined` when the body was no envelope. */
  readonly apiCode?: string;
  readonly details?: Readonly<Record<string, unknown>> | null;
  /** `X-Comfy-Request-Id`: quote it to the service's support. */
  readonly requestId?: string;
}

/**
 * A Comfy API v2 call answered an error status. A {@link ComfyHttpError} (`status`, `method`, `url`,
 * `retryAfterMs`) with the envelope's `apiCode`, `details` and the server's `requestId`.
 * Subclasses by what the caller can do about it: {@link ComfyAuthError}, {@link ComfyCreditsError},
 * {@link ComfyRateLimitError}.
 */
export class ComfyApiError extends ComfyHttpError {
  readonly apiCode?: string;
  readonly details?: Readonly<Record<string, unknown>> | null;
  readonly requestId?: string;
  constructor(status: number, method: string, url: string | URL, bodyExcerpt: string, info: V2ErrorInfo, retryAfterMs?: number) {
    super(status, method, url, bodyExcerpt, retryAfterMs);
    this.name = 'ComfyApiError';
    if (info.apiCode !== undefined) this.apiCode = info.apiCode;
    if (info.details !== undefined) this.details = info.details;
    if (info.requestId !== undefined) this.requestId = info.requestId;
    if (info.requestId) this.message += ` (request id ${info.requestId})`;
  }
}

/** 401 or 403: the API key is missing, wrong, or not allowed this call. */
export class ComfyAuthError extends ComfyApiError {
  constructor(...args: ConstructorParameters<typeof ComfyApiError>) {
    super(...args);
    this.name = 'ComfyAuthError';
  }
}

/** 402 `insufficient_credits` (Comfy Cloud, serverless): the account cannot pay for the job. */
export class ComfyCreditsError extends ComfyApiError {
  constructor(...args: ConstructorParameters<typeof ComfyApiError>) {
    super(...args);
    this.name = 'ComfyCreditsError';
  }
}

/** 429 (`queue_full`, too many event streams, a deployment not ready): `retryAfterMs` says when to ask again. */
export class ComfyRateLimitError extends ComfyApiError {
  constructor(...args: ConstructorParameters<typeof ComfyApiError>) {
    super(...args);
    this.name = 'ComfyRateLimitError';
  }
}

/**
 * The v2 server rejected the workflow (422 `invalid_workflow`, `workflow_format_ui`,
 * `missing_asset`): a {@link ComfyValidationError} like the native 400 (`errorType` is the code,
 * `nodeErrors` ComfyUI's when the server passed them on), with the HTTP status and request id.
 */
export class ComfyApiValidationError extends ComfyValidationError {
  constructor(
    message: string,
    errorType: string,
    nodeErrors: ComfyValidationError['nodeErrors'],
    readonly status: number,
    readonly requestId?: string,
    readonly apiDetails?: Readonly<Record<string, unknown>> | null,
  ) {
    super(requestId ? `${message} (request id ${requestId})` : message, errorType, nodeErrors);
    this.name = 'ComfyApiValidationError';
  }
}

const VALIDATION_CODES = new Set(['invalid_workflow', 'workflow_format_ui', 'missing_asset']);

/**
 * The typed error of a v2 error answer (the body read as text).
 * @param text The body (an envelope, or whatever a proxy in front sent).
 * @param requestId `X-Comfy-Request-Id`, when sent.
 */
export function v2ErrorFrom(status: number, method: string, url: string, text: string, requestId: string | undefined, retryAfterMs: number | undefined): ComfyApiError | ComfyApiValidationError {
  let envelope: V2ErrorEnvelope | undefined;
  try {
    const parsed = V2ErrorEnvelope.safeParse(JSON.parse(text));
    if (parsed.success) envelope = parsed.data;
  } catch {
    envelope = undefined;
  }
  const code = envelope?.error.code;
  if (envelope && code && (status === 422 || status === 400) && VALIDATION_CODES.has(code)) {
    const nodeErrors = NodeErrors.safeParse(envelope.error.details?.node_errors);
    return new ComfyApiValidationError(envelope.error.message, code, nodeErrors.success ? nodeErrors.data : {}, status, requestId, envelope.error.details);
  }
  const info: V2ErrorInfo = { ...(code ? { apiCode: code, details: envelope?.error.details ?? null } : {}), ...(requestId ? { requestId } : {}) };
  const excerpt = envelope ? `${code}: ${envelope.error.message}` : text.slice(0, BODY_EXCERPT_CHARS);
  const Kind = status === 401 || status === 403 ? ComfyAuthError : status === 402 ? ComfyCreditsError : status === 429 ? ComfyRateLimitError : ComfyApiError;
  return new Kind(status, method, url, excerpt, info, retryAfterMs);
}
