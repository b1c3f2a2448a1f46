import { isPlainObject } from '../util/isPlainObject';

/** A node of an API prompt named by a user: found, nowhere, or several with that title. */
export type NodeRef =
  | { readonly kind: 'found'; readonly id: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly { readonly id: string; readonly title: string }[] };

/** The node's `_meta.title`, when it has one. */
export function titleOf(node: unknown): string | undefined {
  const meta = isPlainObject(node) ? node._meta : undefined;
  return isPlainObject(meta) && typeof meta.title === 'string' ? meta.title : undefined;
}

/**
 * Finds the node `ref` names in an API prompt: a node id first, else the one node whose
 * `_meta.title` (the title shown in the editor) is `ref`; several with that title are ambiguous.
 * @example findNodeByRef(prompt, 'Positive Prompt') // { kind: 'found', id: '6' }
 */
export function findNodeByRef(prompt: Readonly<Record<string, unknown>>, ref: string): NodeRef {
  if (Object.prototype.hasOwnProperty.call(prompt, ref)) return { kind: 'found', id: ref };
  const candidates = Object.entries(prompt).flatMap(([id, node]) => (titleOf(node) === ref ? [{ id, title: ref }] : []));
  if (candidates.length === 1) return { kind: 'found', id: candidates[0]!.id };
  return candidates.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates };
}
