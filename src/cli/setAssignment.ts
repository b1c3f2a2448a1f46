import type { Workflow } from '../protocol/api';
import { isPlainObject } from '../util/isPlainObject';
import { findNodeByRef, titleOf } from '../workflow/findNodeByRef';
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
    throw new CliUsageError(`--set ${text}: the path needs a node id and a key (a node title works too), e.g. 6.inputs.text or "Positive Prompt.inputs.text"`);
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
 * A copy of `workflow` with every assignment applied (the original is untouched). The node is
 * named by its id or by its title (`_meta.title`, as the editor shows it); a title may contain dots.
 * @throws CliUsageError when no node has that id or title, several have that title (listing them),
 *   or a path goes through a non-object.
 */
export function applySetAssignments(workflow: Workflow, assignments: readonly SetAssignment[]): Workflow {
  const copy = structuredClone(workflow);
  for (const { path, value, text } of assignments) {
    const { nodeId, keys } = locateNode(copy, path, text);
    let target: Record<string, unknown> = copy[nodeId] as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      if (!isPlainObject(next)) throw new CliUsageError(`--set ${text}: ${key} is not an object in node ${nodeId}`);
      target = next;
    }
    target[keys[keys.length - 1]] = value;
  }
  return copy;
}

/** The node a path starts with: the shortest leading part that is a node id or a unique title. */
function locateNode(workflow: Workflow, path: readonly string[], text: string): { nodeId: string; keys: readonly string[] } {
  for (let split = 1; split < path.length; split++) {
    const found = findNodeByRef(workflow, path.slice(0, split).join('.'));
    if (found.kind === 'found' && isPlainObject(workflow[found.id])) return { nodeId: found.id, keys: path.slice(split) };
    if (found.kind === 'ambiguous') {
      const candidates = found.candidates.map((candidate) => `${candidate.id} (${workflow[candidate.id]?.class_type})`).join(', ');
      throw new CliUsageError(`--set ${text}: ${found.candidates.length} nodes are titled ${JSON.stringify(found.candidates[0]!.title)}: ${candidates}; use the node id`);
    }
  }
  const nodes = Object.entries(workflow).map(([id, node]) => (titleOf(node) ? `${id} "${titleOf(node)}"` : id));
  throw new CliUsageError(`--set ${text}: node ${path[0]} is not in the workflow (nodes: ${nodes.join(', ')})`);
}
