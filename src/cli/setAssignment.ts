import type { Workflow } from '../protocol/api';
import { isPlainObject } from '../util/isPlainObject';
import { CliUsageError } from './CliUsageError';

/** One `--set node.path=value` of the command line. */
export interface SetAssignment {
  /** `['6', 'inputs', 'text']` */
  readonly path: readonly string[];
  readonly value: unknown;
  /** As typed, for messages. */
  readonly text: string;
}

/**
 * Parses `--set 6.inputs.text=a red fox`. The value is JSON when it parses as JSON (`20`, `true`,
 * `"20"`, `["4", 0]`), else the string as typed.
 * @throws CliUsageError when there is no `=`, or the path has fewer than two parts.
 */
export function parseSetAssignment(text: string): SetAssignment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliUsageError(`--set ${text}: expected NODE.PATH=VALUE, e.g. --set 6.inputs.text="a red fox"`);
  const path = text.slice(0, eq).split('.');
  if (path.length < 2 || path.some((part) => part === '')) {
    throw new CliUsageError(`--set ${text}: the path needs a node id and a key, e.g. 6.inputs.text or 3.inputs.seed`);
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // not JSON: the plain string
  }
  return { path, value, text };
}


/**
 * A copy of `workflow` with every assignment applied (the original is untouched).
 * @throws CliUsageError when a node does not exist or a path goes through a non-object.
 */
export function applySetAssignments(workflow: Workflow, assignments: readonly SetAssignment[]): Workflow {
  const copy = structuredClone(workflow);
  for (const { path, value, text } of assignments) {
    const [nodeId, ...keys] = path;
    const node: unknown = copy[nodeId];
    if (!isPlainObject(node)) {
      throw new CliUsageError(`--set ${text}: node ${nodeId} is not in the workflow (nodes: ${Object.keys(copy).join(', ')})`);
    }
    let target: Record<string, unknown> = node;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      if (!isPlainObject(next)) throw new CliUsageError(`--set ${text}: ${key} is not an object in node ${nodeId}`);
      target = next;
    }
    target[keys[keys.length - 1]] = value;
  }
  return copy;
}
