import type { z } from 'zod';
import type { NodeErrors } from './protocol/api';
import type { ExecutionErrorData } from './protocol/messages';
import { displayUrl } from './util/displayUrl';

export type { ValidationReason } from './protocol/api';

/** Base class of every runtime error comfyui-rx emits. `code` is stable across versions. */
export abstract class ComfyRxError extends Error {
  abstract readonly code: `COMFYRX_${string}`;
}

/** What zod found wrong with a value (options, a frame, a workflow): path, code and message of each problem. */
export type Issues = z.core.$ZodIssue[];

/** A frame or HTTP body that does not match the ComfyUI protocol (not JSON, wrong shape). */
export class ComfyProtocolError extends ComfyRxError {
  readonly code = 'COMFYRX_PROTOCOL';
  constructor(
    message: string,
    readonly details: { rawType?: string; issues?: Issues; excerpt?: string } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ComfyProtocolError';
  }
}

/** The server could not be reached, the socket was refused, dropped for good, or never became ready. */
export class ComfyConnectionError extends ComfyRxError {
  readonly code: 'COMFYRX_CONNECTION' | 'COMFYRX_RETRIES_EXHAUSTED' = 'COMFYRX_CONNECTION';
  readonly url: string;
  constructor(
    message: string,
    url: string | URL,
    readonly details: { closeCode?: number; attempts?: number; status?: number } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ComfyConnectionError';
    this.url = displayUrl(url);
  }
}

/**
 * An idempotent request failed with transient errors (network, timeout, 429, 5xx) until its retry
 * budget was spent (`retry` option of `ComfyClient`). A {@link ComfyConnectionError}: the server
 * could not be used. `cause` is the last failure; `details.status` its HTTP status, if any.
 */
export class ComfyRetriesExhaustedError extends ComfyConnectionError {
  override readonly code = 'COMFYRX_RETRIES_EXHAUSTED' as const;
  constructor(
    readonly method: string,
    url: string | URL,
    /** Retries made after the first attempt. */
    readonly retries: number,
    readonly elapsedMs: number,
    /** What ended the retries: `maxAttempts` reached, or the next wait would pass `budgetMs`. */
    readonly stop: 'attempts' | 'budget',
    lastError: unknown,
  ) {
    const last = lastError instanceof Error ? lastError.message : String(lastError);
    super(`${method} ${displayUrl(url)} still failing after ${retries} ${retries === 1 ? 'retry' : 'retries'} in ${elapsedMs} ms: ${last}`, url, {
      attempts: retries + 1,
      ...(lastError instanceof ComfyHttpError ? { status: lastError.status } : {}),
    }, { cause: lastError });
    this.name = 'ComfyRetriesExhaustedError';
  }
}

/** An HTTP answer with a status the call does not accept (4xx/5xx). */
export class ComfyHttpError extends ComfyRxError {
  readonly code = 'COMFYRX_HTTP';
  readonly url: string;
  constructor(
    readonly status: number,
    readonly method: string,
    url: string | URL,
    readonly bodyExcerpt: string,
    /** The server's `Retry-After`, in ms, when it sent one (429, 503). */
    readonly retryAfterMs?: number,
  ) {
    super(`${method} ${displayUrl(url)} answered ${status}${bodyExcerpt ? `: ${bodyExcerpt}` : ''}`);
    this.name = 'ComfyHttpError';
    this.url = displayUrl(url);
  }
}

/**
 * The workflow was rejected before it ran. Abstract: each subclass says what happened, so
 * `instanceof` answers it (`code` stays `COMFYRX_VALIDATION` for all of them):
 * - {@link ComfyPromptRejectedError}: the server rejects the prompt (its 400, or the same 400 predicted offline);
 * - {@link ComfyInvalidPromptError}: not an API-format prompt, found on the client before posting;
 * - {@link ComfyInvalidUiWorkflowError}: a UI workflow that cannot be converted;
 * - {@link ComfyServerWouldFailError}: offline validation predicts the server's 500;
 * - {@link ComfyMissingNodeTypesError}: a UI workflow uses node types the server lacks.
 */
export abstract class ComfyValidationError extends ComfyRxError {
  readonly code = 'COMFYRX_VALIDATION';
  protected constructor(
    message: string,
    /** The server's error type (`prompt_outputs_failed_validation`, `invalid_prompt`...), or ours (`invalid_workflow`, `missing_node_type`, `server_exception`). */
    readonly errorType: string,
    /** ComfyUI's `node_errors`, as sent (`dependent_outputs` may be missing): node id -> its validation reasons. */
    readonly nodeErrors: Readonly<z.input<typeof NodeErrors>>,
    readonly details: string = '',
    readonly issues: Issues = [],
  ) {
    super(message);
    this.name = 'ComfyValidationError';
  }
}

/**
 * The server rejects the prompt: its 400 from `POST /prompt` with `node_errors`, or, from offline
 * validation (`validate`, `validatePrompt`, `WorkflowBuilder.build`), the same 400 predicted (same
 * message, `errorType`, `nodeErrors` and details) for a prompt never posted.
 */
export class ComfyPromptRejectedError extends ComfyValidationError {
  constructor(message: string, errorType: string, nodeErrors: Readonly<z.input<typeof NodeErrors>>, details = '') {
    super(message, errorType, nodeErrors, details);
    this.name = 'ComfyPromptRejectedError';
  }
}

/** The workflow is not API-format JSON (`errorType: 'invalid_workflow'`): checked on the client, never posted. `issues` say where. */
export class ComfyInvalidPromptError extends ComfyValidationError {
  constructor(message: string, details: string, issues: Issues) {
    super(message, 'invalid_workflow', {}, details, issues);
    this.name = 'ComfyInvalidPromptError';
  }
}

/**
 * A UI workflow (the editor's format) that cannot be converted (`errorType: 'invalid_workflow'`):
 * the path of the offending part in `details` (`nodes.3.inputs.0.link`), and, when the node is
 * known, an entry in `nodeErrors` under its execution id.
 */
export class ComfyInvalidUiWorkflowError extends ComfyValidationError {
  constructor(message: string, nodeErrors: Readonly<z.input<typeof NodeErrors>>, details: string, issues: Issues = []) {
    super(message, 'invalid_workflow', nodeErrors, details, issues);
    this.name = 'ComfyInvalidUiWorkflowError';
  }
}

/**
 * Offline validation predicts that the server would fail on this prompt with a 500 (its
 * `validate_prompt` itself raises): `errorType` `server_exception`, the Python exception in `details`.
 */
export class ComfyServerWouldFailError extends ComfyValidationError {
  constructor(message: string, errorType: string, details: string) {
    super(message, errorType, {}, details);
    this.name = 'ComfyServerWouldFailError';
  }
}

/** A node raised while the prompt ran (`execution_error`). */
export class ComfyExecutionError extends ComfyRxError {
  readonly code = 'COMFYRX_EXECUTION';
  constructor(
    readonly promptId: string,
    readonly nodeId: string,
    readonly nodeType: string,
    readonly exceptionMessage: string,
    readonly exceptionType: string,
    readonly traceback: readonly string[],
  ) {
    super(`Node ${nodeId} (${nodeType}) failed: ${exceptionType}: ${exceptionMessage.trim()}`);
    this.name = 'ComfyExecutionError';
  }

  /** The error of an `execution_error` message, or of the one a history entry records. */
  static fromData(promptId: string, data: Pick<ExecutionErrorData, 'node_id' | 'node_type' | 'exception_message' | 'exception_type' | 'traceback'>): ComfyExecutionError {
    return new ComfyExecutionError(promptId, data.node_id, data.node_type, data.exception_message, data.exception_type, data.traceback);
  }
}

/** The prompt was interrupted on the server (by us, by another client, or by the UI). */
export class ComfyInterruptedError extends ComfyRxError {
  readonly code = 'COMFYRX_INTERRUPTED';
  constructor(
    readonly promptId: string,
    readonly nodeId?: string,
    readonly nodeType?: string,
  ) {
    super(`Prompt ${promptId} was interrupted${nodeId ? ` at node ${nodeId} (${nodeType ?? '?'})` : ''}`);
    this.name = 'ComfyInterruptedError';
  }
}

/** The server no longer knows the prompt: neither queued, running nor in history (restart, or deleted). */
export class ComfyPromptLostError extends ComfyRxError {
  readonly code = 'COMFYRX_PROMPT_LOST';
  constructor(readonly promptId: string) {
    super(`Prompt ${promptId} is neither queued, running nor in history: the server lost it (restart?) or it was deleted`);
    this.name = 'ComfyPromptLostError';
  }
}

/** The prompt did not finish within the caller's `timeoutMs`; it was cancelled on the server. */
export class ComfyTimeoutError extends ComfyRxError {
  readonly code = 'COMFYRX_TIMEOUT';
  constructor(
    readonly promptId: string,
    readonly timeoutMs: number,
  ) {
    super(`Prompt ${promptId} did not finish within ${timeoutMs} ms; it was cancelled`);
    this.name = 'ComfyTimeoutError';
  }
}

/** Options given to a constructor or function are invalid (checked with zod at call time). */
export class ComfyOptionsError extends ComfyRxError {
  readonly code = 'COMFYRX_OPTIONS';
  constructor(
    message: string,
    readonly issues: Issues = [],
  ) {
    super(message);
    this.name = 'ComfyOptionsError';
  }
}

/** A file that carries neither a ComfyUI `workflow` nor a `prompt` (or a format that cannot carry one). */
export class ComfyNoWorkflowError extends ComfyRxError {
  readonly code = 'COMFYRX_NO_WORKFLOW';
  constructor(
    /** The container that was read (`png`, `mp4`, ...), or `unknown` when no reader knows the file. */
    readonly container: string,
    /** Text keys the file does carry (at most a few), to tell "other metadata" from "none". */
    readonly otherKeys: readonly string[] = [],
  ) {
    super(
      container === 'unknown'
        ? 'Not a file format that carries a ComfyUI workflow (PNG, WebP, MP4/MOV, WebM/MKV, FLAC, MP3, Ogg/Opus, GLB, latent, SVG)'
        : `This ${container} file carries no ComfyUI workflow or prompt${otherKeys.length ? ` (its text keys: ${otherKeys.join(', ')})` : ''}`,
    );
    this.name = 'ComfyNoWorkflowError';
  }
}

/** A file whose structure is broken or hostile: truncated, impossible lengths, metadata over the size limit, bad JSON. */
export class ComfyMalformedFileError extends ComfyRxError {
  readonly code = 'COMFYRX_MALFORMED_FILE';
  constructor(
    message: string,
    readonly container: string,
    /** Byte offset in the file where the problem was found, when known. */
    readonly offset?: number,
    options?: ErrorOptions,
  ) {
    super(`${container}: ${message}${offset === undefined ? '' : ` (at byte ${offset})`}`, options);
    this.name = 'ComfyMalformedFileError';
  }
}

/** One node type of a UI workflow that the server's `/object_info` lacks, with where it is used. */
export interface MissingNodeType {
  readonly type: string;
  /** Execution ids of the nodes of this type (`12`, `12:5` inside subgraph instance 12). */
  readonly nodeIds: readonly string[];
  /** Pack hints from the nodes' `properties` (`cnr_id`, `aux_id`, `ver`), when present. */
  readonly cnrId?: string;
  readonly auxId?: string;
  readonly ver?: string;
}

/**
 * A UI workflow uses node types the server does not have (not installed custom nodes), like the
 * editor's missing-nodes dialog: `missing` lists every one of them, sorted, once.
 */
export class ComfyMissingNodeTypesError extends ComfyValidationError {
  readonly missing: readonly string[];
  constructor(readonly nodeTypes: readonly MissingNodeType[]) {
    const missing = nodeTypes.map((entry) => entry.type);
    super(
      `The server lacks ${missing.length === 1 ? 'the node type' : `${missing.length} node types`}: ${missing.join(', ')} (install the custom nodes that provide ${missing.length === 1 ? 'it' : 'them'})`,
      'missing_node_type',
      Object.fromEntries(
        nodeTypes.flatMap((entry) =>
          entry.nodeIds.map((id) => [id, { class_type: entry.type, errors: [{ type: 'missing_node_type', message: `Node type '${entry.type}' does not exist on the server` }] }]),
        ),
      ),
      missing.join(', '),
    );
    this.name = 'ComfyMissingNodeTypesError';
    this.missing = missing;
  }

  /** The same list as `missing` (the name docs/conversion.md §4 uses). */
  get missingTypes(): readonly string[] {
    return this.missing;
  }
}

/** `g.add()` named a node class the server's `/object_info` does not list. */
export class ComfyUnknownNodeClassError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_NODE_CLASS';
  constructor(readonly classType: string) {
    super(`Unknown node class '${classType}': the server's /object_info does not list it`);
    this.name = 'ComfyUnknownNodeClassError';
  }
}

/** `g.add()` set an input the node class does not declare (a misspelt name, most often). */
export class ComfyUnknownInputError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_INPUT';
  constructor(
    readonly classType: string,
    readonly input: string,
    /** The inputs the class declares, required then optional. */
    readonly known: readonly string[],
  ) {
    super(`${classType} has no input '${input}' (its inputs: ${known.join(', ') || 'none'})`);
    this.name = 'ComfyUnknownInputError';
  }
}

/** `node.output(key)` named an output the node does not have, or one that several outputs match. */
export class ComfyUnknownOutputError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_OUTPUT';
  constructor(
    readonly classType: string,
    readonly nodeId: string,
    readonly key: string | number,
    /** Why: no such output, several match, or the node's outputs are unknown. */
    readonly reason: string,
  ) {
    super(`Node ${nodeId} (${classType}) has no output ${typeof key === 'number' ? key : `'${key}'`}: ${reason}`);
    this.name = 'ComfyUnknownOutputError';
  }
}
