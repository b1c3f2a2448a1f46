import type { InputsOption } from '../inputs/resolveInputs';
import type { Workflow } from '../protocol/api';
import { locateInputPath } from '../workflow/locateInputPath';
import { CliUsageError } from './CliUsageError';

/** One `--set node.path=value` of the command line. */
export interface SetAssignment {
  /** `['6', 'inputs', 'text']` */
  readonly path: readonly string[];
  /** The value (absent for a file). */
  readonly value: unknown;
  /** `@photo.png` / `@https://host/photo.png`: a local file or a URL, uploaded to the server that runs the prompt. */
  readonly file?: string;
  /** As typed, for messages. */
  readonly text: string;
}

/**
 * Parses `--set 6.inputs.text=a red fox`. The value is JSON when it parses as JSON (`20`, `true`,
 * `"20"`, `["4", 0]`), else the string as typed. `@photo.png` (as in curl) names a file to
 * upload, `@https://host/photo.png` a URL to fetch and upload; `@@` starts a value with a plain `@`.
 * @throws CliUsageError when there is no `=`, the path has fewer than two parts, or `@` names nothing.
 */
export function parseSetAssignment(text: string): SetAssignment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliUsageError(`--set ${text}: expected NODE.PATH=VALUE, e.g. --set 6.inputs.text="a red fox"`);
  const path = text.slice(0, eq).split('.');
  if (path.length < 2 || path.some((part) => part === '')) {
    throw new CliUsageError(`--set ${text}: the path needs a node id and a key (a node title works too), e.g. 6.inputs.text or "Positive Prompt.inputs.text"`);
  }
  const raw = text.slice(eq + 1);
  if (raw.startsWith('@@')) return { path, value: raw.slice(1), text };
  if (raw.startsWith('@')) {
    if (raw.length === 1) throw new CliUsageError(`--set ${text}: @ needs a file or a URL after it, e.g. "Load Image.inputs.image=@photo.png"`);
    return { path, value: undefined, file: raw.slice(1), text };
  }
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: the plain string
  }
  return { path, value, text };
}

/** Where an assignment goes: the node (by id or title) and one of its inputs. */
function locate(workflow: Workflow, { path, text }: SetAssignment): { node: string; input: string } {
  const lookup = locateInputPath(workflow, path.join('.'));
  switch (lookup.kind) {
    case 'found':
      return lookup;
    case 'malformed':
    case 'no-node':
      return fail(`--set ${text}: node ${path[0]} is not in the workflow (nodes: ${lookup.kind === 'no-node' ? lookup.nodes.join(', ') : ''})`);
    case 'ambiguous':
      return fail(`--set ${text}: ${lookup.candidates.length} nodes are titled ${JSON.stringify(lookup.ref)}: ${lookup.candidates.join(', ')}; use the node id`);
    case 'no-input':
      return fail(`--set ${text}: node ${lookup.node} (${lookup.classType}) has no input ${JSON.stringify(lookup.input)} (its inputs: ${lookup.inputs.join(', ') || 'none'}; write <node>.inputs.<name>)`);
  }
}

function fail(message: string): never {
  throw new CliUsageError(message);
}

/**
 * A copy of `workflow` with every value assignment applied (the original is untouched), and the
 * file assignments (`@photo.png`, `@https://...`) as the `inputs` run option, keyed by node id.
 * The node is named by its id or by its title (`_meta.title`, as the editor shows it; a title may
 * contain dots); the path must name one of its inputs (`<node>.inputs.<name>`).
 * @throws CliUsageError when no node has that id or title, several have that title (listing them),
 *   or the node has no such input (listing its inputs).
 */
export function splitSetAssignments(workflow: Workflow, assignments: readonly SetAssignment[]): { workflow: Workflow; inputs: InputsOption } {
  const copy = structuredClone(workflow);
  const inputs: Record<string, string> = {};
  for (const assignment of assignments) {
    const { node, input } = locate(copy, assignment);
    if (assignment.file !== undefined) inputs[`${node}.inputs.${input}`] = assignment.file;
    else (copy[node] as { inputs: Record<string, unknown> }).inputs[input] = assignment.value;
  }
  return { workflow: copy, inputs };
}

/**
 * {@link splitSetAssignments} for commands that take values only.
 * @throws CliUsageError as it does, and for a file assignment.
 */
export function applySetAssignments(workflow: Workflow, assignments: readonly SetAssignment[]): Workflow {
  const { workflow: changed, inputs } = splitSetAssignments(workflow, assignments);
  const files = Object.keys(inputs);
  if (files.length) throw new CliUsageError(`--set ${files[0]}=@...: this command takes no files`);
  return changed;
}

/** The `inputs` run option of a command's file assignments (empty: none). */
export const inputsOption = (inputs: InputsOption): { inputs?: InputsOption } => (Object.keys(inputs).length ? { inputs } : {});
