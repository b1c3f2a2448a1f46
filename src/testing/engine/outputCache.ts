import { createHash } from 'node:crypto';
import type { NodeOutput, Workflow } from '../../protocol';
import type { NodeCatalog } from '../nodes/catalog';
import { NEVER_CACHED, type ValidationEnv } from '../nodes/nodeTypes';
import type { SimValue } from '../nodes/simValues';
import { isLink } from './executionList';

/** Longer signatures are hashed (they embed their sources' signatures, so they grow with depth). */
const MAX_PLAIN_SIGNATURE = 512;

/** What the cache keeps per node: its output values and its UI output. */
export interface CachedNode {
  readonly outputs: readonly SimValue[];
  readonly ui?: NodeOutput;
}

/**
 * ComfyUI's default ("classic") output cache: node results keyed by an input signature (class,
 * IS_CHANGED value, literal inputs, the signatures of linked sources), keeping only the entries
 * the latest prompt uses.
 */
export class OutputCache {
  private readonly entries = new Map<string, CachedNode>();
  private uncacheable = 0;

  constructor(private readonly enabled: boolean) {}

  /** Signatures of every node of a prompt. */
  signatures(prompt: Workflow, catalog: NodeCatalog, env: ValidationEnv): Map<string, string> {
    const signatures = new Map<string, string>();
    const visiting = new Set<string>();
    const signatureOf = (id: string): string => {
      const known = signatures.get(id);
      if (known) return known;
      const node = prompt[id];
      if (!node || visiting.has(id)) return `missing:${id}`;
      visiting.add(id);
      const behaviour = catalog.get(node.class_type);
      const changeKey = behaviour?.changeKey?.(node.inputs, env);
      let signature: string;
      if (changeKey === NEVER_CACHED) {
        signature = `never:${++this.uncacheable}`;
      } else {
        const parts: unknown[] = [node.class_type, changeKey ?? null];
        for (const name of Object.keys(node.inputs).sort()) {
          const value = node.inputs[name];
          parts.push(name, isLink(value) ? ['link', signatureOf(value[0]), value[1]] : value);
        }
        const text = JSON.stringify(parts);
        signature = text.length > MAX_PLAIN_SIGNATURE ? createHash('sha1').update(text).digest('base64') : text;
      }
      visiting.delete(id);
      signatures.set(id, signature);
      return signature;
    };
    for (const id of Object.keys(prompt)) signatureOf(id);
    return signatures;
  }

  /** Drops every entry the current prompt does not use (ComfyUI's `clean_unused`). */
  keepOnly(signatures: Iterable<string>): void {
    const keep = new Set(signatures);
    for (const key of this.entries.keys()) if (!keep.has(key)) this.entries.delete(key);
  }

  get(signature: string): CachedNode | undefined {
    return this.enabled ? this.entries.get(signature) : undefined;
  }

  set(signature: string, node: CachedNode): void {
    if (this.enabled && !signature.startsWith('never:')) this.entries.set(signature, node);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
