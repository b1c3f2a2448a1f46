import type { DeclaredOutput } from '../objectInfoIndex';
import { ComfyUnknownOutputError } from '../../errors';
import { Link } from './link';
import { resolveOutput } from './resolveOutput';

/**
 * A node added to a {@link WorkflowBuilder}: its id, and its outputs as {@link Link}s to wire into
 * other nodes' inputs. `O` maps output keys (name, type, index) to link types; with generated node
 * types a key the node does not have does not compile.
 * ```ts
 * const ckpt = g.add('CheckpointLoaderSimple', { ckpt_name: 'v1-5.safetensors' });
 * g.add('CLIPTextEncode', { text: 'a fox', clip: ckpt.output('CLIP') }); // or ckpt.output(1)
 * ```
 */
export class NodeHandle<O = Readonly<Record<string | number, Link>>> {
  readonly #outputs: readonly DeclaredOutput[] | undefined;
  readonly #owner: object;

  /** @internal Made by the builder's `add()`. */
  constructor(
    readonly id: string,
    readonly classType: string,
    outputs: readonly DeclaredOutput[] | undefined,
    owner: object,
  ) {
    this.#outputs = outputs;
    this.#owner = owner;
  }

  /**
   * The output `key` names: an output name (`'LATENT'`, `'positive'`), else a type when one output
   * has it, else an index. Without `/object_info` (or generated types) only indexes work.
   * Throws `ComfyUnknownOutputError` when the node has no such output.
   */
  output<K extends keyof O & (string | number)>(key: K): O[K] {
    if (!this.#outputs) {
      if (typeof key === 'number' && Number.isInteger(key) && key >= 0) return new Link(this.id, key, undefined, this.#owner) as O[K];
      throw new ComfyUnknownOutputError(this.classType, this.id, key, 'without /object_info the builder knows outputs by index only');
    }
    const found = resolveOutput(this.#outputs, key);
    if (!('output' in found)) throw new ComfyUnknownOutputError(this.classType, this.id, key, found.reason);
    return new Link(this.id, found.output.index, found.output.type, this.#owner) as O[K];
  }
}
