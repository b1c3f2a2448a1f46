import type { PromptValidation, ServerNodeErrors, ServerValidationReason } from '../../protocol/validation';
import { isPlainObject } from '../../util/isPlainObject';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { InputsValidator, type Checked, type CheckedGraph } from './inputsValidator';
import type { ValidationEnvironment } from './nodeChecks';
import { PyException } from './pyException';
import { isCanonicalUuid } from '../../util/isCanonicalUuid';
import { applyNodeReplacements } from '../server/applyNodeReplacements';
import { type ServerTraits, serverDialect } from '../server/serverTraits';
import { pyBool, pyContains, pyDictGet, pyGetItem, pyStr, pyTypeName } from './python';
import { VALIDATE_PROMPT_FRAME } from './tracebacks';

export type { ValidationEnvironment } from './nodeChecks';
export type { ServerTraits } from '../server/serverTraits';

/** Options of {@link validatePrompt}. */
export interface ValidatePromptOptions {
  /** `partial_execution_targets` of the request: only these output ids are checked and run. */
  readonly partialExecutionTargets?: unknown;
  /** How nodes with their own check (LoadImage...) learn whether a file exists; see {@link ValidationEnvironment}. */
  readonly env?: ValidationEnvironment;
  /**
   * The server to answer as (`{ version: '0.38.1' }`, or what it told about itself: version,
   * `/features`, `/node_replacements`). Default: the traits the `ObjectInfoIndex` carries, else
   * ComfyUI 0.8.0. See {@link serverDialect}.
   */
  readonly server?: ServerTraits;
  /** The request's `prompt_id`: newer servers answer 400 `invalid_prompt_id` unless it is a canonical lowercase UUID (or absent / null). */
  readonly promptId?: unknown;
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
 * What ComfyUI answers to `POST /prompt` after its `validate_prompt`, offline: pure, no I/O,
 * never throws (cycles and 100,000-node chains included). The answers are ComfyUI 0.8.0's
 * (recorded byte for byte), or a newer server's (built from its source) when `options.server`
 * (or the index) says the server is newer; see docs/protocol.md §8.
 *
 * - newer servers: 400 `invalid_prompt_id` for a `promptId` that is not a canonical UUID, then
 *   their node replacements applied to classes they lack (a mapped input the node lacks: 500);
 * - 400 for the first node (key order) without a `class_type` or with one `/object_info` lacks
 *   (0.8.0: `invalid_prompt`; newer: `missing_node_type`, with the node's title); 400
 *   `prompt_no_outputs` without an output node;
 * - per output node (all, or `partialExecutionTargets`), the checks of `validate_inputs` on the
 *   nodes it reaches: required inputs, links (`bad_linked_input`, `return_type_mismatch`, the
 *   exceptions of a missing node or slot), the coercion of literals (`invalid_input_type`),
 *   min / max, combo values, the nodes' own checks (LoadImage's file), and on newer servers
 *   `dependency_cycle` and `invalid_dynamic_input`;
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
  const server = options.server ?? index.server ?? {};
  const dialect = serverDialect(server);
  const newer = dialect !== '0.8.0';
  if (newer && options.promptId !== undefined && options.promptId !== null && !isCanonicalUuid(options.promptId)) {
    return rejected(reason('invalid_prompt_id', 'prompt_id must be a valid UUID', 'prompt_id must be a UUID string in canonical lowercase hyphenated form; omit it to let the server generate one'));
  }
  if (!isPlainObject(prompt)) return crashed(new PyException(newer ? 'AttributeError' : 'TypeError', newer ? `'${pyTypeName(prompt)}' object has no attribute 'items'` : `'${pyTypeName(prompt)}' object is not a mapping`));
  const graph = copyGraph(prompt);
  const targets = options.partialExecutionTargets ?? null;

  const outputs: string[] = [];
  try {
    if (newer) applyNodeReplacements(graph, server.nodeReplacements ?? {}, (classType) => index.has(classType));
    for (const [id, node] of Object.entries(graph)) {
      const missing = newer ? missingNodeType(id, node, index) : missingClass(id, node, index);
      if (missing) return rejected(missing);
      const nodeClass = classOf(index, (node as Record<string, unknown>).class_type as string)!;
      if (nodeClass.outputNode && (targets === null || pyContains(targets, id))) outputs.push(id);
    }
  } catch (error) {
    return crashed(error);
  }
  if (outputs.length === 0) return rejected(reason('prompt_no_outputs', 'Prompt has no outputs', ''));

  const validator = new InputsValidator(graph as CheckedGraph, index, options.env ?? {}, dialect);
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

/** ComfyUI 0.8.0: `invalid_prompt` for a node without a `class_type`, or with one the server lacks. */
function missingClass(id: string, node: unknown, index: ObjectInfoIndex): ServerValidationReason | undefined {
  if (!pyContains(node, 'class_type')) return reason('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`);
  const classType = unhashableChecked(pyGetItem(node, 'class_type'));
  const nodeClass = typeof classType === 'string' ? classOf(index, classType) : undefined;
  return nodeClass ? undefined : reason('invalid_prompt', `Cannot execute because node ${pyStr(classType)} does not exist.`, `Node ID '#${id}'`);
}

/** Newer servers: `missing_node_type`, naming the node by its `_meta.title` (else its id, or its class). */
function missingNodeType(id: string, node: unknown, index: ObjectInfoIndex): ServerValidationReason | undefined {
  if (!pyContains(node, 'class_type')) {
    const title = pyDictGet(pyDictGet(node, '_meta', {}), 'title', null);
    const named = pyBool(title) ? pyStr(title) : `ID #${id}`;
    return reason('missing_node_type', `Node '${named}' has no class_type. The workflow may be corrupted or a custom node is missing.`, `Node ID '#${id}'`, { node_id: id, class_type: null, node_title: title });
  }
  const classType = unhashableChecked(pyGetItem(node, 'class_type'));
  const nodeClass = typeof classType === 'string' ? classOf(index, classType) : undefined;
  if (nodeClass) return undefined;
  const title = pyDictGet(pyDictGet(node, '_meta', {}), 'title', classType);
  return reason('missing_node_type', `Node '${pyStr(title)}' not found. The custom node may not be installed.`, `Node ID '#${id}'`, { node_id: id, class_type: classType, node_title: title });
}

/** `NODE_CLASS_MAPPINGS.get(class_type)`: a list or dict is unhashable (TypeError), other values are just not found. */
function unhashableChecked(classType: unknown): unknown {
  if (typeof classType === 'object' && classType !== null) throw new PyException('TypeError', `unhashable type: '${pyTypeName(classType)}'`);
  return classType;
}
