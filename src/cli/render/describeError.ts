import { ComfyValidationError } from '../../errors';

/** Tells a person why something failed, in a line (plus one per node for validation errors), never a stack trace. */
export function describeError(error: Error): string {
  if (error instanceof ComfyValidationError) {
    const nodes = Object.entries(error.nodeErrors).map(
      ([node, { class_type, errors }]) =>
        `  node ${node}${class_type ? ` (${class_type})` : ''}: ${errors.map((reason) => `${reason.message}${reason.details ? ` (${reason.details})` : ''}`).join('; ')}`,
    );
    return [error.message, ...nodes].join('\n');
  }
  return error.message || error.name || String(error);
}
