import { isPlainObject } from '../util/isPlainObject';
import { findNodeByRef, titleOf } from './findNodeByRef';

/** Where `<node>.inputs.<name>` points in an API prompt, or why it points nowhere. */
export type InputPathLookup =
  | { readonly kind: 'found'; readonly node: string; readonly input: string }
  /** Not of the form `<node id or title>.inputs.<input name>`. */
  | { readonly kind: 'malformed' }
  /** No node has that id or title; `nodes` lists them (`6 "Positive Prompt"`). */
  | { readonly kind: 'no-node'; readonly ref: string; readonly nodes: readonly string[] }
  | { readonly kind: 'ambiguous'; readonly ref: string; readonly candidates: readonly string[] }
  /** The node exists but has no such input; `inputs` lists the ones it has. */
  | { readonly kind: 'no-input'; readonly node: string; readonly classType: string; readonly input: string; readonly inputs: readonly string[] };

const nodeLabel = (id: string, node: unknown): string => (titleOf(node) ? `${id} "${titleOf(node)}"` : id);

/**
 * Resolves `<node>.inputs.<name>` in an API prompt, the node named by id or by title (`_meta.title`,
 * which may contain dots: the shortest leading part that names a node wins), as `--set` and
 * `run(..., { inputs })` take it. The input must be one the node has.
 * @example locateInputPath(prompt, 'Load Image.inputs.image') // { kind: 'found', node: '10', input: 'image' }
 */
export function locateInputPath(prompt: Readonly<Record<string, unknown>>, path: string): InputPathLookup {
  const parts = path.split('.');
  for (let split = 1; split < parts.length; split++) {
    const ref = parts.slice(0, split).join('.');
    const found = findNodeByRef(prompt, ref);
    if (found.kind === 'ambiguous') return { kind: 'ambiguous', ref, candidates: found.candidates.map((candidate) => `${candidate.id} (${String((prompt[candidate.id] as { class_type?: unknown } | undefined)?.class_type)})`) };
    if (found.kind !== 'found') continue;
    const rest = parts.slice(split);
    const node = prompt[found.id];
    const inputs = isPlainObject(node) && isPlainObject(node.inputs) ? node.inputs : {};
    const classType = isPlainObject(node) ? String(node.class_type) : '?';
    const input = rest.length === 2 && rest[0] === 'inputs' ? rest[1] : undefined;
    if (input === undefined || input === '') return { kind: 'no-input', node: found.id, classType, input: rest.join('.'), inputs: Object.keys(inputs) };
    if (!Object.prototype.hasOwnProperty.call(inputs, input)) return { kind: 'no-input', node: found.id, classType, input, inputs: Object.keys(inputs) };
    return { kind: 'found', node: found.id, input };
  }
  if (parts.length < 3 || parts.some((part) => part === '')) return { kind: 'malformed' };
  return { kind: 'no-node', ref: parts[0] ?? '', nodes: Object.entries(prompt).map(([id, node]) => nodeLabel(id, node)) };
}

/** A one-line explanation of a failed lookup (`node 1 (EmptyImage) has no input "widht" (its inputs: width, height)`). */
export function describeInputPathLookup(path: string, lookup: Exclude<InputPathLookup, { kind: 'found' }>): string {
  switch (lookup.kind) {
    case 'malformed':
      return `${JSON.stringify(path)} is not a path like 6.inputs.text or "Load Image.inputs.image" (<node id or title>.inputs.<input name>)`;
    case 'no-node':
      return `no node has the id or title ${JSON.stringify(lookup.ref)} (nodes: ${lookup.nodes.join(', ')})`;
    case 'ambiguous':
      return `${lookup.candidates.length} nodes are titled ${JSON.stringify(lookup.ref)}: ${lookup.candidates.join(', ')}; use the node id`;
    case 'no-input':
      return `node ${lookup.node} (${lookup.classType}) has no input ${JSON.stringify(lookup.input)} (its inputs: ${lookup.inputs.join(', ') || 'none'}; write <node>.inputs.<name>)`;
  }
}
