/**
 * The message of a `ComfyValidationError` for a rejected prompt: the server's message, then each
 * node's reasons (`node 3 (KSampler): Value not in list: ...`). Used for the server's 400 answers
 * and for the same answers computed offline.
 */
export function describeRejection(message: string, nodeErrors: Record<string, { errors: { message: string; details?: string }[]; class_type?: string }>): string {
  const nodes = Object.entries(nodeErrors).map(
    ([id, node]) => `node ${id} (${node.class_type ?? '?'}): ${node.errors.map((e) => (e.details ? `${e.message}: ${e.details}` : e.message)).join('; ')}`,
  );
  return nodes.length ? `${message}: ${nodes.join(' | ')}` : message;
}
