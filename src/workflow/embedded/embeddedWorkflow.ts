import { ComfyMalformedFileError, ComfyNoWorkflowError, ComfyRxError } from '../../errors';
import type { EmbeddedContainer } from './container';
import { CONTAINER_SCANNERS, detectContainer } from './detectContainer';
import { parseEmbeddedJson } from './parseEmbeddedJson';
import { type Scan, ScanContext } from './scan';
import { TextFields } from './textFields';

/**
 * What a file ComfyUI wrote carries: the editor's `workflow` (UI format) and the API `prompt` as
 * the server ran it (after validation: list values unwrapped). Either may be missing, not both.
 */
export interface EmbeddedWorkflow {
  readonly container: EmbeddedContainer;
  readonly workflow?: Record<string, unknown>;
  readonly prompt?: Record<string, unknown>;
}

/** A scan about to run over a file of `size` bytes whose first bytes are `head`. */
export function startScan(head: Uint8Array, size: number): { readonly ctx: ScanContext; readonly scan: Scan } {
  const container = detectContainer(head);
  if (container === undefined) throw new ComfyNoWorkflowError('unknown');
  const ctx = new ScanContext(container, size, new TextFields());
  return { ctx, scan: CONTAINER_SCANNERS[container](ctx) };
}

/**
 * Turns what a scan found into the result. A scan that failed after finding a value (a file cut
 * short after its metadata) still gives that value; otherwise the failure is rethrown, typed.
 */
export function finishScan(ctx: ScanContext, failure?: unknown): EmbeddedWorkflow {
  const { fields, container } = ctx;
  if (failure !== undefined && !fields.found) {
    if (failure instanceof ComfyRxError) throw failure;
    throw new ComfyMalformedFileError('unreadable structure', container, undefined, { cause: failure });
  }
  const workflowText = fields.get('workflow');
  const promptText = fields.get('prompt');
  if (workflowText === undefined && promptText === undefined) throw new ComfyNoWorkflowError(container, fields.otherKeys);
  return {
    container,
    ...(workflowText === undefined ? {} : { workflow: parseEmbeddedJson(workflowText, 'workflow', container) }),
    ...(promptText === undefined ? {} : { prompt: parseEmbeddedJson(promptText, 'prompt', container) }),
  };
}
