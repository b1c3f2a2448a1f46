import { ComfyRxError } from '../../errors';

/** `g.add()` named a node class the server's `/object_info` does not list. */
export class ComfyUnknownNodeClassError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_NODE_CLASS';
  constructor(readonly classType: string) {
    super(`Unknown node class '${classType}': the server's /object_info does not list it`);
    this.name = 'ComfyUnknownNodeClassError';
  }
}

/** `g.add()` set an input the node class does not declare (a misspelt name, most often). */
export class ComfyUnknownInputError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_INPUT';
  constructor(
    readonly classType: string,
    readonly input: string,
    /** The inputs the class declares, required then optional. */
    readonly known: readonly string[],
  ) {
    super(`${classType} has no input '${input}' (its inputs: ${known.join(', ') || 'none'})`);
    this.name = 'ComfyUnknownInputError';
  }
}

/** `node.output(key)` named an output the node does not have, or one that several outputs match. */
export class ComfyUnknownOutputError extends ComfyRxError {
  readonly code = 'COMFYRX_UNKNOWN_OUTPUT';
  constructor(
    readonly classType: string,
    readonly nodeId: string,
    readonly key: string | number,
    /** Why: no such output, several match, or the node's outputs are unknown. */
    readonly reason: string,
  ) {
    super(`Node ${nodeId} (${classType}) has no output ${typeof key === 'number' ? key : `'${key}'`}: ${reason}`);
    this.name = 'ComfyUnknownOutputError';
  }
}
