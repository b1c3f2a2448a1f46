import type { InputsOption } from '../inputs/resolveInputs';
import type { PreviewPolicy } from './previewPolicy';

/** Options of one run (`ComfyClient.run`, `ComfyPool.run`, batches). */
export interface RunOptions {
  /**
   * Use this prompt id instead of a fresh UUID: unique on the server, and a UUID in canonical
   * lowercase hyphenated form (`crypto.randomUUID()`), which newer servers require; any other
   * value fails the run with `ComfyOptionsError` before anything is sent.
   */
  promptId?: string;
  /**
   * Key for partner (API) nodes of this run, sent as `extra_data.api_key_comfy_org` (the client's
   * `apiKey` when absent). Never logged; the server keeps it out of the job's history.
   */
  apiKey?: string;
  /** Stored with the job (`extra_pnginfo`, ...). `client_id` is always ours. */
  extraData?: Record<string, unknown>;
  /** Explicit queue priority (lower runs first). */
  number?: number;
  /** Queue before normal items. */
  front?: boolean;
  /** Only these output nodes are executed. */
  partialExecutionTargets?: string[];
  /** Overall budget in ms: past it the prompt fails with `ComfyTimeoutError` and is cancelled. */
  timeoutMs?: number;
  /** Silence (ms) before a `stalled` warning and a reconciliation; overrides the client's. */
  stallWarnAfterMs?: number;
  /**
   * Validate the prompt offline against the server's `/object_info` (`validatePrompt`) before it is
   * posted: a prompt the server would reject fails with the `ComfyValidationError` of its 400 and
   * never reaches the server. Overrides the client's `validate` option.
   */
  validate?: boolean;
  /**
   * Preview backpressure: `'all'` (default) every preview; `'latest'` only the newest of each node
   * while the subscriber is busy; `'none'` no previews. Other events are never delayed. An invalid
   * value fails the run with `ComfyOptionsError`.
   */
  previews?: PreviewPolicy;
  /**
   * Input files to place on the server that runs the prompt, just before it is posted:
   * `{ 'Load Image.inputs.image': 'photo.png' }` (nodes by id or title, as `--set` takes them;
   * values are local sources: a path, an http(s) URL, bytes, a Blob, a Readable, or an `inputFile`
   * handle; an `UploadedFile` is set as its value). The `queued` event lists the values used. A key
   * naming no input of its node fails the run with `ComfyOptionsError`; a source that fails with
   * `ComfyInputError`; either way nothing is posted.
   */
  inputs?: InputsOption;
}
