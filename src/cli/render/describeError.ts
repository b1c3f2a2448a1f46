import { ComfyValidationError } from '../../errors';
import { describeRejection } from '../../util/describeRejection';

/**
 * Tells a person why something failed, in a line, never a stack trace. A rejected workflow gets
 * its headline, then one line per node and its reasons (each said once: the error's message holds
 * them all on one line, which is not repeated).
 * @example describeError(error) // 'Prompt outputs failed validation\n  node 3 (KSampler): Value 0 smaller than min of 1 (steps)'
 */
export function describeError(error: Error): string {
  if (error instanceof ComfyValidationError && Object.keys(error.nodeErrors).length > 0) {
    const nodes = Object.entries(error.nodeErrors).map(
      ([node, { class_type, errors }]) =>
        `  node ${node}${class_type ? ` (${class_type})` : ''}: ${errors.map((reason) => `${reason.message}${reason.details ? ` (${reason.details})` : ''}`).join('; ')}`,
    );
    const inline = describeRejection('', error.nodeErrors as Parameters<typeof describeRejection>[1]); // ': node 3 (...): ...'
    const headline = error.message.endsWith(inline) ? error.message.slice(0, -inline.length) : error.message;
    return [headline, ...nodes].join('\n');
  }
  return error.message || error.name || String(error);
}
