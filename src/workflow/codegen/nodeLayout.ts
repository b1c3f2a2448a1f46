import type { NodeClass } from '../objectInfoIndex';

/**
 * The part of a class's `/object_info` entry the builder needs without the server: input names
 * with their defaults (combo values dropped), hidden inputs, outputs, display name. A generated
 * module embeds these so its builder fills defaults and knows outputs offline.
 */
export function nodeLayout(nodeClass: NodeClass): Record<string, unknown> {
  const { definition } = nodeClass;
  const input: Record<string, Record<string, unknown>> = {};
  const order: Record<string, string[]> = {};
  for (const declared of nodeClass.inputs) {
    const options = declared.options.default === undefined ? {} : { default: declared.options.default };
    (input[declared.category] ??= {})[declared.name] = [declared.type, options];
    (order[declared.category] ??= []).push(declared.name);
  }
  if (definition.input.hidden) input.hidden = definition.input.hidden;
  return {
    input,
    input_order: order,
    output: nodeClass.outputs.map((output) => output.type),
    output_name: nodeClass.outputs.map((output) => output.name),
    name: nodeClass.name,
    ...(definition.display_name ? { display_name: definition.display_name } : {}),
  };
}
