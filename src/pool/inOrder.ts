import type { PoolServerView } from './strategy';

/**
 * The first candidate in the pool's order: a server takes prompts only while every server listed
 * before it is full (or down, or lacks a node class). A local server listed first and a Comfy API
 * v2 endpoint (Comfy Cloud) after it: the cloud gets the overflow.
 * @example inOrder([{ name: 'cloud', index: 1, ... }, { name: 'local', index: 0, ... }]) // local
 */
export function inOrder(candidates: readonly PoolServerView[]): PoolServerView {
  let first = candidates[0];
  if (!first) throw new RangeError('inOrder needs at least one candidate');
  for (const candidate of candidates) if (candidate.index < first.index) first = candidate;
  return first;
}
