import type { ServerValidationReason } from '../../protocol/validation';
import type { NodeClass, ObjectInfoIndex } from '../objectInfoIndex';
import { classInputs, type CheckedInput, DynamicInputError } from './classInputs';
import { checkLiteral, coerceLiteral, inputConfig } from './literalChecks';
import { linkTypeMatches } from './linkTypeMatches';
import { nodeCheckOf, type NodeCheck, type ValidationEnvironment } from './nodeChecks';
import { PyException } from './pyException';
import { pyContains, pyEquals, pyGetItem, pyStr, pyTupleIndex } from './python';
import type { ServerDialect } from '../server/serverTraits';
import { CUSTOM_VALIDATE_FRAMES, INNER_VALIDATE_FRAME, INPUT_READ_FRAME, INPUTS_LOOKUP_FRAME, LINK_LOOKUP_FRAME, RETURN_TYPE_FRAME } from './tracebacks';

/** `(valid, reasons)` of one node, as ComfyUI keeps it in `validated`. */
export interface Checked {
  readonly valid: boolean;
  readonly reasons: readonly ServerValidationReason[];
}

/** A prompt whose nodes all passed `validate_prompt`'s first loop (objects with a known class). */
export type CheckedGraph = Readonly<Record<string, Record<string, unknown>>>;

/** The child a frame waits for: the link input it came from. */
interface Waiting {
  readonly input: CheckedInput;
  readonly link: readonly unknown[];
  readonly childId: string;
}

/** One `validate_inputs` call in progress (a Python frame, kept on an explicit stack). */
interface Frame {
  readonly id: string;
  readonly inputs: unknown;
  readonly nodeClass: NodeClass;
  readonly declared: readonly CheckedInput[];
  readonly check: NodeCheck | undefined;
  next: number;
  valid: boolean;
  readonly errors: ServerValidationReason[];
  waiting?: Waiting;
  /** Newer servers: the node's dynamic inputs did not fit its values; its only reason, returned at once. */
  readonly rejected?: ServerValidationReason;
}

const AT_INPUTS_LOOKUP = [INPUTS_LOOKUP_FRAME];
const AT_INPUT_READ = [INPUT_READ_FRAME];
const AT_LINK_LOOKUP = [LINK_LOOKUP_FRAME];
const AT_RETURN_TYPE = [RETURN_TYPE_FRAME];
const VALID: Checked = Object.freeze({ valid: true, reasons: Object.freeze([]) as readonly ServerValidationReason[] });
const CYCLE = Object.freeze({ kind: 'cycle' as const });

/** What came back from a child frame. */
type Returned = { kind: 'checked'; checked: Checked } | { kind: 'raised'; error: PyException } | { kind: 'cycle' };


/**
 * ComfyUI's `validate_inputs` over one prompt, sharing its `validated` map across outputs, as the
 * server of `dialect` runs it. The recursion over links runs on an explicit stack, so a
 * 100,000-node chain cannot overflow. A link back to a node still being checked (a cycle): on
 * 0.8.0 the linking node is invalid without a reason of its own (what its unbounded recursion
 * ends in once its RecursionError unwinds); newer servers give every node of the cycle a
 * `dependency_cycle` reason. Newer servers also reject dynamic inputs that do not fit
 * (`invalid_dynamic_input`) and word combo failures with `repr()`. Coerced values are written
 * into the (copied) graph, as the server writes them into the prompt.
 */
export class InputsValidator {
  /** Node id -> result, in the order results were stored (Python's dict order). */
  readonly validated = new Map<string, Checked>();
  private readonly onStack = new Set<string>();

  constructor(
    private readonly graph: CheckedGraph,
    private readonly index: ObjectInfoIndex,
    private readonly env: ValidationEnvironment,
    private readonly dialect: ServerDialect = '0.8.0',
  ) {}

  /** `validate_inputs(prompt, id, validated)`; throws the PyException the output's own frame raised. */
  validate(rootId: string): Checked {
    const done = this.validated.get(rootId);
    if (done) return done;
    const stack: Frame[] = [this.open(rootId)];
    this.onStack.add(rootId);
    let returned: Returned | undefined;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      try {
        if (returned) this.resume(frame, returned);
        returned = undefined;
        const childId = this.advance(frame);
        if (childId === undefined) {
          const checked = this.result(frame);
          this.validated.set(frame.id, checked);
          stack.pop();
          this.onStack.delete(frame.id);
          returned = { kind: 'checked', checked };
          continue;
        }
        const cached = this.validated.get(childId);
        if (cached) returned = { kind: 'checked', checked: cached };
        else if (this.onStack.has(childId)) returned = this.dialect === '0.8.0' ? CYCLE : { kind: 'checked', checked: this.cycle(stack, childId) };
        else {
          try {
            stack.push(this.open(childId));
            this.onStack.add(childId);
          } catch (error) {
            returned = { kind: 'raised', error: PyException.wrap(error) };
          }
        }
      } catch (error) {
        stack.pop();
        this.onStack.delete(frame.id);
        if (stack.length === 0) throw PyException.wrap(error);
        returned = { kind: 'raised', error: PyException.wrap(error) };
      }
    }
    return (returned as { checked: Checked }).checked;
  }

  /** The frame's set-up: `inputs = prompt[unique_id]['inputs']` and the class's inputs. */
  private open(id: string): Frame {
    const node = this.graph[id]!;
    const inputs = pyGetItem(node, 'inputs', AT_INPUTS_LOOKUP);
    const classType = String(node.class_type);
    const nodeClass = this.index.get(classType)!;
    const frame = { id, inputs, nodeClass, check: nodeCheckOf(classType), next: 0, valid: true, errors: [] };
    try {
      return { ...frame, declared: classInputs(nodeClass, inputs, this.dialect) };
    } catch (error) {
      if (!(error instanceof DynamicInputError)) throw error;
      const rejected = { type: 'invalid_dynamic_input', message: 'Invalid dynamic input', details: error.message, extra_info: { input_name: error.inputName } };
      return { ...frame, declared: [], check: undefined, rejected };
    }
  }

  /**
   * `(valid, reasons)` of a finished frame. Newer servers join what a cycle already filed under
   * the node with its own reasons (each once); a node whose dynamic inputs did not fit has that
   * reason only.
   */
  private result(frame: Frame): Checked {
    if (frame.rejected) return { valid: false, reasons: [frame.rejected] };
    const own: Checked = frame.errors.length > 0 || !frame.valid ? { valid: false, reasons: frame.errors } : VALID;
    const prior = this.dialect === '0.8.0' ? undefined : this.validated.get(frame.id);
    if (!prior) return own;
    return { valid: false, reasons: [...prior.reasons, ...frame.errors.filter((error) => !prior.reasons.some((known) => pyEquals(known, error)))] };
  }

  /**
   * Newer servers: `child` is on the stack, so the links from it back to itself form a cycle; every
   * node of it is filed invalid with a `dependency_cycle` reason (`a (CT) -> b (CT) -> a (CT)`).
   */
  private cycle(stack: readonly Frame[], child: string): Checked {
    const ids = stack.map((frame) => frame.id);
    const path = [...ids.slice(ids.indexOf(child)), child];
    const nodes = [...new Set(path)];
    const details = path.map((id) => `${id} (${pyStr(this.graph[id]!.class_type)})`).join(' -> ');
    for (const id of nodes) {
      this.validated.set(id, {
        valid: false,
        reasons: [{ type: 'dependency_cycle', message: 'Dependency cycle detected', details, extra_info: { node_id: id, cycle_nodes: nodes } }],
      });
    }
    return this.validated.get(child)!;
  }

  /** Back from a linked node: its invalidity, or its exception filed under it. */
  private resume(frame: Frame, returned: Returned): void {
    const waiting = frame.waiting!;
    frame.waiting = undefined;
    if (returned.kind === 'checked') {
      if (!returned.checked.valid) frame.valid = false;
      return;
    }
    frame.valid = false;
    if (returned.kind === 'cycle') return;
    const { error } = returned;
    this.validated.set(waiting.childId, {
      valid: false,
      reasons: [
        {
          type: 'exception_during_inner_validation',
          message: 'Exception when validating inner node',
          details: error.text,
          extra_info: {
            input_name: waiting.input.name,
            input_config: inputConfig(waiting.input),
            exception_message: error.text,
            exception_type: error.pyType,
            traceback: [INNER_VALIDATE_FRAME, ...error.frames],
            linked_node: waiting.link,
          },
        },
      ],
    });
  }

  /** Checks inputs until one links to a node to validate first (its id), or the node is done (undefined). */
  private advance(frame: Frame): string | undefined {
    const { declared, inputs, errors } = frame;
    if (frame.rejected) return undefined;
    const skipValueChecks = frame.check?.params ?? [];
    while (frame.next < declared.length) {
      const input = declared[frame.next++]!;
      const { name } = input;
      if (!pyContains(inputs, name)) {
        if (input.category === 'required') {
          errors.push({ type: 'required_input_missing', message: 'Required input is missing', details: name.split('.').pop()!, extra_info: { input_name: name } });
        }
        continue;
      }
      const value = pyGetItem(inputs, name, AT_INPUT_READ);
      if (Array.isArray(value)) {
        const childId = this.link(frame, input, value);
        if (childId !== undefined) return childId;
        continue;
      }
      const coerced = coerceLiteral(input, value);
      if ('reason' in coerced) {
        errors.push(coerced.reason);
        continue;
      }
      if (coerced.write) (inputs as Record<string, unknown>)[name] = coerced.value;
      if (skipValueChecks.includes(name)) continue;
      const reason = checkLiteral(input, coerced.value, this.dialect);
      if (reason) errors.push(reason);
    }
    if (frame.check) this.runNodeCheck(frame, frame.check);
    return undefined;
  }

  /** A list value: a `[node_id, slot]` link. Returns the node to validate, or undefined after a reason. */
  private link(frame: Frame, input: CheckedInput, value: readonly unknown[]): string | undefined {
    const { name } = input;
    if (value.length !== 2) {
      frame.errors.push({
        type: 'bad_linked_input',
        message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
        details: name,
        extra_info: { input_name: name, input_config: inputConfig(input), received_value: value },
      });
      return undefined;
    }
    const [sourceId, slot] = value;
    const source = pyGetItem(this.graph, sourceId, AT_LINK_LOOKUP) as Record<string, unknown>;
    const returnTypes = this.index.get(String(source.class_type))!.definition.output;
    const receivedType = pyTupleIndex(returnTypes, slot, AT_RETURN_TYPE);
    if (!linkTypeMatches(receivedType, input.type)) {
      frame.errors.push({
        type: 'return_type_mismatch',
        message: 'Return type mismatch between linked nodes',
        details: `${name}, received_type(${pyStr(receivedType)}) mismatch input_type(${pyStr(input.type)})`,
        extra_info: { input_name: name, input_config: inputConfig(input), received_type: receivedType, linked_node: value },
      });
      return undefined;
    }
    frame.waiting = { input, link: value, childId: sourceId as string };
    return sourceId as string;
  }

  /** The node's own VALIDATE_INPUTS, called with its declared, present inputs (links as `None`). */
  private runNodeCheck(frame: Frame, check: NodeCheck): void {
    const args: Record<string, unknown> = {};
    const present: string[] = [];
    const combos: Record<string, readonly unknown[] | undefined> = {};
    for (const param of check.params) {
      const declared = frame.nodeClass.inputsByName.get(param);
      combos[param] = declared?.combo;
      if (!declared || !pyContains(frame.inputs, param)) continue;
      const value = pyGetItem(frame.inputs, param);
      args[param] = Array.isArray(value) ? null : value;
      present.push(param);
    }
    const missing = check.params.filter((param) => !present.includes(param));
    let verdict: true | string;
    try {
      if (missing.length > 0) {
        const names = missing.map((param) => `'${param}'`);
        const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        throw new PyException('TypeError', `${check.qualname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
      }
      verdict = check.check(args, { env: this.env, combos });
    } catch (error) {
      const raised = PyException.wrap(error);
      throw new PyException(raised.pyType, raised.text, [...CUSTOM_VALIDATE_FRAMES, ...raised.frames]);
    }
    if (verdict === true) return;
    for (const param of present) {
      frame.errors.push({ type: 'custom_validation_failed', message: 'Custom validation failed for node', details: `${param} - ${verdict}`, extra_info: { input_name: param } });
    }
  }
}

