import { ComfyRxError } from '../errors';

/** Why one server of the pool cannot take a workflow. */
export interface ServerRefusal {
  /** The server's name in the pool. */
  readonly server: string;
  /** Node classes the workflow needs that the server does not have (from its `/object_info`). */
  readonly missingClassTypes: readonly string[];
  /** True when the server is out for good (it failed every health probe). */
  readonly down: boolean;
}

/**
 * No server of a {@link ComfyPool} can run the workflow: each one lacks some of its node classes
 * or is down for good. `refusals` says why, server by server.
 */
export class ComfyNoServerError extends ComfyRxError {
  readonly code = 'COMFYRX_NO_SERVER';
  constructor(readonly refusals: readonly ServerRefusal[]) {
    super(`No server of the pool can run this workflow: ${refusals.map(describeRefusal).join('; ')}`);
    this.name = 'ComfyNoServerError';
  }
}

/** The pool was closed: prompts still waiting or running there end with this error. */
export class ComfyPoolClosedError extends ComfyRxError {
  readonly code = 'COMFYRX_POOL_CLOSED';
  constructor() {
    super('The ComfyPool was closed');
    this.name = 'ComfyPoolClosedError';
  }
}

function describeRefusal(refusal: ServerRefusal): string {
  if (refusal.down) return `${refusal.server} is down`;
  return `${refusal.server} lacks ${refusal.missingClassTypes.join(', ')}`;
}
