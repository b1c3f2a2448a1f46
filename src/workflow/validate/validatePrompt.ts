import type { PromptValidation, ServerNodeErrors, ServerValidationReason } from '../../protocol/validation';
import { isPlainObject } from '../../util/isPlainObject';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { InputsValidator, type Checked, type CheckedGraph } from './inputsValidator';
import type { ValidationEnvironment } from './nodeChecks';
import { PyException } from './pyException';
import { pyContains, pyGetItem, pyStr, pyTypeName } from './python';
import { VALIDATE_PROMPT_FRAME } from './tracebacks';

export type { ValidationEnvironment } from './nodeChecks';

/** Options of {@link validatePrompt}. */
export interface ValidatePromptOptions {
  /** `partial_execution_targets` of the request: only these output ids are checked and run. */
  readonly partialExecutionTargets?: unknown;
  /** How nodes with their own check (LoadImage...) learn whether a file exists; see {@link ValidationEnvironment}. */
  readonly env?: ValidationEnvironment;
}

const reason = (type: string, message: string, details: string, extra_info: Record<string, unknown> = {}): ServerValidationReason => ({ type, message, details, extra_info });
const rejected = (error: ServerValidationReason, node_errors: ServerNodeErrors = {}): PromptValidation => ({ status: 400, error, node_errors });
const crashed = (error: unknown): PromptValidation => {
  const ex = PyException.wrap(error);
  return { status: 500, error: reason('server_exception', `${ex.pyType}: ${ex.text}`, ex.text, { exception_type: ex.pyType }), node_errors: {} };
};

/** Copies nodes and their `inputs` so that coercion can write into them (the request stays untouched). */
function copyGraph(prompt: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(prompt)) {
    if (!isPlainObject(node)) {
      copy[id] = node;
      continue;
    }
    const shallow: Record<string, unknown> = { ...node };
    if (isPlainObject(node.inputs)) shallow.inputs = { ...node.inputs };
    copy[id] = shallow;
  }
  return copy;
}

/** `index.get`, with a malformed class read as one the server lacks (validation never throws). */
function classOf(index: ObjectInfoIndex, classType: string) {
  try {
    return index.get(classType);
  } catch {
    return undefined;
  }
}

/**
 * What ComfyUI 0.8.0 answers to `POST /prompt` after its `validate_prompt`, offline: pure, no
 * I/O, never throws (cycles and 100,000-node chains included).
 *
 * - 400 `invalid_prompt` for the first node (key order) without a `class_type` or with one
 *   `/object_info` lacks; 400 `prompt_no_outputs` without an output node;
 * - per output node (all, or `partialExecutionTargets`), the checks of `validate_inputs` on the
 *   nodes it reaches: required inputs, links (`bad_linked_input`, `return_type_mismatch`, the
 *   exceptions of a missing node or slot), the coercion of literals (`invalid_input_type`),
 *   min / max, combo values, and the nodes' own checks (LoadImage's file);
 * - 400 `prompt_outputs_failed_validation` when every output fails, else 200 with the failing
 *   outputs' `node_errors`, the outputs that run, and the prompt with the server's coercions;
 * - 500 where the server's own code raises (a prompt or node that is not an object).
 *
 * @param prompt The `prompt` of the request (any JSON value; not mutated).
 * @param objectInfo The server's `/object_info` (raw, or an {@link ObjectInfoIndex} to reuse).
 * @example
 * const answer = validatePrompt(workflow, await firstValueFrom(comfy.http.objectInfo()));
 * if (answer.status !== 200) console.error(answer.error.message, answer.node_errors);
 */
export function validatePrompt(prompt: unknown, objectInfo: unknown, options: ValidatePromptOptions = {}): PromptValidation {
  let index: ObjectInfoIndex;
  try {
    index = ObjectInfoIndex.from(objectInfo);
  } catch (error) {
    return crashed(error);
  }
  if (!isPlainObject(prompt)) return crashed(new PyException('TypeError', `'${pyTypeName(prompt)}' object is not a mapping`));
  const graph = copyGraph(prompt);
  const targets = options.partialExecutionTargets ?? null;

  const outputs: string[] = [];
  try {
    for (const [id, node] of Object.entries(graph)) {
      if (!pyContains(node, 'class_type')) {
        return rejected(reason('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`));
      }
      const classType = pyGetItem(node, 'class_type');
      // NODE_CLASS_MAPPINGS.get(class_type): a list or dict is unhashable (TypeError), other values are just not found.
      if (typeof classType === 'object' && classType !== null) throw new PyException('TypeError', `unhashable type: '${pyTypeName(classType)}'`);
      const nodeClass = typeof classType === 'string' ? classOf(index, classType) : undefined;
      if (!nodeClass) return rejected(reason('invalid_prompt', `Cannot execute because node ${pyStr(classType)} does not exist.`, `Node ID '#${id}'`));
      if (nodeClass.outputNode && (targets === null || pyContains(targets, id))) outputs.push(id);
    }
  } catch (error) {
    return crashed(error);
  }
  if (outputs.length === 0) return rejected(reason('prompt_no_outputs', 'Prompt has no outputs', ''));

  const validator = new InputsValidator(graph as CheckedGraph, index, options.env ?? {});
  const good: string[] = [];
  const failed: [string, readonly ServerValidationReason[]][] = [];
  const nodeErrors: ServerNodeErrors = {};
  for (const output of outputs) {
    let checked: Checked;
    try {
      checked = validator.validate(output);
    } catch (error) {
      const ex = PyException.wrap(error);
      checked = {
        valid: false,
        reasons: [reason('exception_during_validation', 'Exception when validating node', ex.text, { exception_type: ex.pyType, traceback: [VALIDATE_PROMPT_FRAME, ...ex.frames] })],
      };
      validator.validated.set(output, checked);
    }
    if (checked.valid) {
      good.push(output);
      continue;
    }
    failed.push([output, checked.reasons]);
    // Every node failing with reasons of its own so far gets this output as a dependent one.
    for (const [nodeId, result] of validator.validated) {
      if (result.valid || result.reasons.length === 0) continue;
      nodeErrors[nodeId] ??= { errors: [...result.reasons], dependent_outputs: [], class_type: String((graph[nodeId] as Record<string, unknown>).class_type) };
      nodeErrors[nodeId].dependent_outputs.push(output);
    }
  }
  if (good.length === 0) {
    const details = failed.flatMap(([, reasons]) => reasons.map((r) => `${r.message}: ${r.details}`)).join('\n');
    return rejected(reason('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details), nodeErrors);
  }
  return { status: 200, node_errors: nodeErrors, outputs: good, prompt: graph };
}
