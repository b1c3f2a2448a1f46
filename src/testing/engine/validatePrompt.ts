import type { NodeErrors, Workflow } from '../../protocol';
import type { NodeCatalog } from '../nodes/catalog';
import type { InputOptions, InputType, NodeBehaviour, ValidationEnv } from '../nodes/nodeTypes';
import { pyBool, pyFloat, pyFloatText, pyInt, pyRepr, pyStr } from './python';
import { PyException } from './pythonExceptions';

/** One reason in `node_errors` (the shape of the protocol's `ValidationReason`, with `extra_info` always present). */
export interface Reason {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

/** The `error` object of a 400 answer. */
export type PromptError = Reason;

/** Outcome of {@link validatePrompt}. */
export type ValidationOutcome =
  | { readonly ok: true; readonly prompt: Workflow; readonly outputs: string[]; readonly nodeErrors: NodeErrors }
  | { readonly ok: false; readonly error: PromptError; readonly nodeErrors: NodeErrors };

type Checked = readonly [valid: boolean, reasons: Reason[]];

const VALIDATE_PROMPT_FRAME =
  '  File "/opt/ComfyUI/execution.py", line 1043, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n';
const INNER_VALIDATE_FRAME =
  '  File "/opt/ComfyUI/execution.py", line 851, in validate_inputs\n    r = await validate_inputs(prompt_id, prompt, o_id, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n';
const LINK_LOOKUP_FRAME =
  "  File \"/opt/ComfyUI/execution.py\", line 818, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']\n                   ~~~~~~^^^^^^\n";
const RETURN_TYPE_FRAME = '  File "/opt/ComfyUI/execution.py", line 820, in validate_inputs\n    received_type = r[val[1]]\n                    ~^^^^^^^^\n';
const INPUTS_LOOKUP_FRAME = "  File \"/opt/ComfyUI/execution.py\", line 776, in validate_inputs\n    inputs = prompt[unique_id]['inputs']\n             ~~~~~~~~~~~~~~~~~^^^^^^^^^^\n";

type Graph = Record<string, { class_type: unknown; inputs?: unknown; [key: string]: unknown }>;

interface DeclaredInput {
  readonly name: string;
  readonly inputType: InputType;
  readonly options: InputOptions;
  readonly category: 'required' | 'optional';
}

const declaredCache = new WeakMap<NodeBehaviour, readonly DeclaredInput[]>();

/** A class's required then optional inputs, flattened once per class. */
function declaredInputs(behaviour: NodeBehaviour): readonly DeclaredInput[] {
  let inputs = declaredCache.get(behaviour);
  if (!inputs) {
    const list: DeclaredInput[] = [];
    for (const category of ['required', 'optional'] as const) {
      for (const [name, spec] of Object.entries(behaviour.definition.input[category] ?? {})) {
        const [inputType, options = {}] = spec as readonly [InputType, InputOptions?];
        list.push({ name, inputType, options, category });
      }
    }
    declaredCache.set(behaviour, list);
    inputs = list;
  }
  return inputs;
}

/** Copies the graph deep enough for coercion to write into it (nodes and their `inputs`). */
function copyGraph(prompt: Record<string, unknown>): Graph {
  const copy: Graph = {};
  for (const [id, node] of Object.entries(prompt)) {
    const shallow = (isObject(node) ? { ...node } : node) as Graph[string];
    if (isObject(node) && isObject(node.inputs)) shallow.inputs = { ...node.inputs };
    copy[id] = shallow;
  }
  return copy;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function typeMatches(received: string, expected: InputType): boolean {
  if (received === expected) return true;
  if (typeof expected !== 'string') return false;
  if (received === '*' || expected === '*') return true;
  const wanted = new Set(expected.split(',').map((t) => t.trim()));
  return received.split(',').some((t) => wanted.has(t.trim()));
}

function pyNumberText(value: unknown, inputType: InputType): string {
  return inputType === 'FLOAT' && typeof value === 'number' ? pyFloatText(value) : pyStr(value);
}

/** The validator state of one `POST /prompt` (ComfyUI's `validate_inputs` with its `validated` dict). */
class PromptValidator {
  readonly validated = new Map<string, Checked>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly prompt: Graph,
    private readonly catalog: NodeCatalog,
    private readonly env: ValidationEnv,
  ) {}

  /** `validate_inputs(prompt, item, validated)`: may throw a {@link PyException}. */
  validateInputs(unique: string): Checked {
    const done = this.validated.get(unique);
    if (done) return done;
    if (this.inProgress.has(unique)) return [true, []]; // a cycle: ComfyUI reports it when it runs
    this.inProgress.add(unique);
    try {
      return this.check(unique);
    } finally {
      this.inProgress.delete(unique);
    }
  }

  private check(unique: string): Checked {
    const node = this.prompt[unique] as Graph[string];
    if (!('inputs' in node)) throw new PyException('KeyError', "'inputs'", [INPUTS_LOOKUP_FRAME]);
    const inputs: Record<string, unknown> = isObject(node.inputs) ? node.inputs : {};
    const behaviour = this.catalog.get(String(node.class_type));
    if (!behaviour) throw new PyException('KeyError', pyRepr(node.class_type));
    const customInputs = behaviour.customValidation?.inputs ?? [];
    const errors: Reason[] = [];
    let valid = true;

    for (const { name, inputType, options, category } of declaredInputs(behaviour)) {
      const info = [inputType, options];
      if (!(name in inputs)) {
        if (category === 'required') {
          errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name, extra_info: { input_name: name } });
        }
        continue;
      }
      let value = inputs[name];
      if (Array.isArray(value)) {
        if (value.length !== 2) {
          errors.push({
            type: 'bad_linked_input',
            message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
            details: name,
            extra_info: { input_name: name, input_config: info, received_value: value },
          });
          continue;
        }
        const [sourceId, slot] = value as [unknown, unknown];
        const source = typeof sourceId === 'string' ? this.prompt[sourceId] : undefined;
        if (!source) throw new PyException('KeyError', pyRepr(sourceId), [LINK_LOOKUP_FRAME]);
        const returnTypes = this.catalog.get(String(source.class_type))?.definition.output ?? [];
        if (typeof slot !== 'number' || !Number.isInteger(slot)) {
          throw new PyException('TypeError', `tuple indices must be integers or slices, not ${slot === null ? 'NoneType' : typeof slot === 'number' ? 'float' : typeof slot === 'string' ? 'str' : 'list'}`, [RETURN_TYPE_FRAME]);
        }
        const receivedType = returnTypes[slot < 0 ? returnTypes.length + slot : slot];
        if (receivedType === undefined) throw new PyException('IndexError', 'tuple index out of range', [RETURN_TYPE_FRAME]);
        if (!typeMatches(receivedType, inputType)) {
          errors.push({
            type: 'return_type_mismatch',
            message: 'Return type mismatch between linked nodes',
            details: `${name}, received_type(${receivedType}) mismatch input_type(${typeof inputType === 'string' ? inputType : pyRepr(inputType)})`,
            extra_info: { input_name: name, input_config: info, received_type: receivedType, linked_node: value },
          });
          continue;
        }
        try {
          const [linkedValid] = this.validateInputs(sourceId as string);
          if (!linkedValid) valid = false;
        } catch (error) {
          const ex = error instanceof PyException ? error : new PyException('Exception', String(error));
          valid = false;
          this.validated.set(sourceId as string, [
            false,
            [
              {
                type: 'exception_during_inner_validation',
                message: 'Exception when validating inner node',
                details: ex.text,
                extra_info: {
                  input_name: name,
                  input_config: info,
                  exception_message: ex.text,
                  exception_type: ex.pyType,
                  traceback: [INNER_VALIDATE_FRAME, ...ex.frames],
                  linked_node: value,
                },
              },
            ],
          ]);
        }
        continue;
      }

      try {
        if (isObject(value) && '__value__' in value) {
          value = value.__value__;
          inputs[name] = value;
        }
        if (inputType === 'INT') value = pyInt(value);
        else if (inputType === 'FLOAT') value = pyFloat(value);
        else if (inputType === 'STRING') value = pyStr(value);
        else if (inputType === 'BOOLEAN') value = pyBool(value);
        inputs[name] = value;
      } catch (error) {
        const text = error instanceof PyException ? error.text : String(error);
        errors.push({
          type: 'invalid_input_type',
          message: `Failed to convert an input value to a ${String(inputType)} value`,
          details: `${name}, ${pyStr(value)}, ${text}`,
          extra_info: { input_name: name, input_config: info, received_value: value, exception_message: text },
        });
        continue;
      }
      if (customInputs.includes(name)) continue;
      if (options.min !== undefined && typeof value === 'number' && value < options.min) {
        errors.push({
          type: 'value_smaller_than_min',
          message: `Value ${pyNumberText(value, inputType)} smaller than min of ${pyNumberText(options.min, inputType)}`,
          details: name,
          extra_info: { input_name: name, input_config: info, received_value: value },
        });
        continue;
      }
      if (options.max !== undefined && typeof value === 'number' && value > options.max) {
        errors.push({
          type: 'value_bigger_than_max',
          message: `Value ${pyNumberText(value, inputType)} bigger than max of ${pyNumberText(options.max, inputType)}`,
          details: name,
          extra_info: { input_name: name, input_config: info, received_value: value },
        });
        continue;
      }
      if (typeof inputType !== 'string' && !inputType.includes(value as string)) {
        const long = inputType.length > 20;
        errors.push({
          type: 'value_not_in_list',
          message: 'Value not in list',
          details: `${name}: '${pyStr(value)}' not in ${long ? `(list of length ${inputType.length})` : pyRepr(inputType)}`,
          extra_info: { input_name: name, input_config: long ? null : info, received_value: value },
        });
        continue;
      }
    }

    const custom = behaviour.customValidation;
    if (custom) {
      const present = custom.inputs.filter((name) => name in inputs && !Array.isArray(inputs[name]));
      if (present.length > 0) {
        const verdict = custom.check(inputs, this.env);
        if (verdict !== true) {
          for (const name of present) {
            errors.push({
              type: 'custom_validation_failed',
              message: 'Custom validation failed for node',
              details: `${name} - ${verdict}`,
              extra_info: { input_name: name },
            });
          }
        }
      }
    }

    const result: Checked = errors.length > 0 || !valid ? [false, errors] : [true, []];
    this.validated.set(unique, result);
    return result;
  }
}

const failure = (type: string, message: string, details: string, nodeErrors: NodeErrors = {}): ValidationOutcome => ({
  ok: false,
  error: { type, message, details, extra_info: {} },
  nodeErrors,
});

/**
 * ComfyUI's `validate_prompt`: class checks, output nodes, per-output input validation (with the
 * coercion of literal values, written into the returned prompt), and the exact error bodies.
 * @param rawPrompt The `prompt` field of the request (not mutated).
 * @param partialTargets `partial_execution_targets`, if given.
 * @throws PyException when the prompt is not an object (the server answers 500).
 */
export function validatePrompt(rawPrompt: unknown, catalog: NodeCatalog, env: ValidationEnv, partialTargets?: unknown): ValidationOutcome {
  if (!isObject(rawPrompt)) throw new PyException('AttributeError', `'${Array.isArray(rawPrompt) ? 'list' : typeof rawPrompt}' object has no attribute 'keys'`);
  const prompt = copyGraph(rawPrompt);
  const targets = Array.isArray(partialTargets) ? new Set(partialTargets.map(String)) : undefined;
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(prompt)) {
    if (!isObject(node) || !('class_type' in node)) {
      return failure('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`);
    }
    const behaviour = catalog.get(String(node.class_type));
    if (typeof node.class_type !== 'string' || !behaviour) {
      return failure('invalid_prompt', `Cannot execute because node ${pyStr(node.class_type)} does not exist.`, `Node ID '#${id}'`);
    }
    if (behaviour.definition.output_node && (!targets || targets.has(id))) outputs.push(id);
  }
  if (outputs.length === 0) return failure('prompt_no_outputs', 'Prompt has no outputs', '');

  const validator = new PromptValidator(prompt, catalog, env);
  const good: string[] = [];
  const failed: [string, Reason[]][] = [];
  const nodeErrors: Record<string, { errors: Reason[]; dependent_outputs: string[]; class_type: string }> = {};
  for (const output of outputs) {
    let valid: boolean;
    let reasons: Reason[];
    try {
      [valid, reasons] = validator.validateInputs(output);
    } catch (error) {
      const ex = error instanceof PyException ? error : new PyException('Exception', String(error));
      valid = false;
      reasons = [
        {
          type: 'exception_during_validation',
          message: 'Exception when validating node',
          details: ex.text,
          extra_info: { exception_type: ex.pyType, traceback: [VALIDATE_PROMPT_FRAME, ...ex.frames] },
        },
      ];
      validator.validated.set(output, [false, reasons]);
    }
    if (valid) {
      good.push(output);
      continue;
    }
    failed.push([output, reasons]);
    for (const [nodeId, [nodeValid, nodeReasons]] of validator.validated) {
      if (nodeValid || nodeReasons.length === 0) continue;
      nodeErrors[nodeId] ??= { errors: nodeReasons, dependent_outputs: [], class_type: String(prompt[nodeId]?.class_type) };
      nodeErrors[nodeId].dependent_outputs.push(output);
    }
  }
  if (good.length === 0) {
    const details = failed.flatMap(([, reasons]) => reasons.map((r) => `${r.message}: ${r.details}`)).join('\n');
    return failure('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details, nodeErrors);
  }
  return { ok: true, prompt: prompt as Workflow, outputs: good, nodeErrors };
}
