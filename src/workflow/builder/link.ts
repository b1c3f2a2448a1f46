/** Phantom key of {@link Link}'s ComfyUI type: it exists for the compiler only. */
declare const comfyType: unique symbol;

/**
 * One output of a node in a workflow being built: what an input receives to be wired to it. In the
 * API prompt it becomes `[nodeId, slot]`. `T` is the ComfyUI type of the output (`'MODEL'`,
 * `'CLIP'`, `'IMAGE,MASK'`, `'*'`); with generated node types, a link of the wrong type into an
 * input does not compile.
 */
export class Link<T extends string = string> {
  declare readonly [comfyType]: T;

  constructor(
    /** The id of the node the output belongs to. */
    readonly node: string,
    /** The output's index on that node. */
    readonly slot: number,
    /** The output's ComfyUI type, when the builder knows the node's outputs. */
    readonly type: string | undefined,
    /** The builder that made it (a link must not cross workflows). */
    readonly owner: object,
  ) {}

  /** The API-prompt form: `[nodeId, slot]`. */
  toJSON(): [string, number] {
    return [this.node, this.slot];
  }
}
