import { ComfyOptionsError } from '../errors';
import type { Workflow } from '../protocol/api';

/** Where a value goes in an API-format workflow: `<node id>.inputs.<input name>`, e.g. `6.inputs.text`. */
export interface InputPath {
  readonly node: string;
  readonly input: string;
}

const PATH_PATTERN = /^(.+?)\.inputs\.([^.]+)$/;

/** Parses `6.inputs.text`; `undefined` when the text is not of that form. */
export function parseInputPath(text: string): InputPath | undefined {
  const match = PATH_PATTERN.exec(text);
  return match?.[1] && match[2] ? { node: match[1], input: match[2] } : undefined;
}

/** `6.inputs.text` */
export function formatInputPath(node: string, input: string): string {
  return `${node}.inputs.${input}`;
}

/**
 * Checks that `text` names an existing input of `workflow`; returns it parsed.
 * @param option Name of the option it came from, for the error (`paths.seed`).
 * @throws ComfyOptionsError naming the option, and what the workflow has instead.
 */
export function checkInputPath(workflow: Workflow, text: string, option: string): InputPath {
  const path = parseInputPath(text);
  if (!path) throw new ComfyOptionsError(`${option}: ${JSON.stringify(text)} is not a path like '6.inputs.text' (<node id>.inputs.<input name>)`);
  const node = workflow[path.node];
  if (!node) {
    throw new ComfyOptionsError(`${option}: node ${JSON.stringify(path.node)} is not in the workflow (its nodes: ${Object.keys(workflow).join(', ')})`);
  }
  if (!(path.input in node.inputs)) {
    throw new ComfyOptionsError(
      `${option}: node ${path.node} (${node.class_type}) has no input ${JSON.stringify(path.input)} (its inputs: ${Object.keys(node.inputs).join(', ') || 'none'})`,
    );
  }
  return path;
}

/** The value at `path` (`undefined` if the node or input is missing). */
export function readInput(workflow: Workflow, path: string): unknown {
  const parsed = parseInputPath(path);
  return parsed ? workflow[parsed.node]?.inputs[parsed.input] : undefined;
}

/** Sets the value at `path` in `workflow` (mutates it: call on a clone). The node must exist. */
export function writeInput(workflow: Workflow, path: string, value: unknown): void {
  const parsed = parseInputPath(path);
  const node = parsed ? workflow[parsed.node] : undefined;
  if (!parsed || !node) throw new ComfyOptionsError(`Cannot set ${JSON.stringify(path)}: no such node in the workflow`);
  node.inputs[parsed.input] = value;
}

/** An API-format link: `[source node id, output slot]`. */
export function isLink(value: unknown): value is readonly [string, number] {
  return Array.isArray(value) && value.length === 2 && (typeof value[0] === 'string' || typeof value[0] === 'number') && typeof value[1] === 'number';
}
