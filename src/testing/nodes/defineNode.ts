import type { FullNodeDefinition, InputSpec } from './nodeTypes';

/** The parts of a node definition that differ between nodes. */
export interface NodeDefinitionParts {
  readonly name: string;
  readonly displayName: string;
  readonly category: string;
  readonly description?: string;
  /** Default `nodes` (core); custom nodes use `custom_nodes.<pack>`. */
  readonly pythonModule?: string;
  readonly required?: Readonly<Record<string, InputSpec>>;
  readonly optional?: Readonly<Record<string, InputSpec>>;
  readonly hidden?: Readonly<Record<string, string>>;
  /** `[type, name]` per output slot. */
  readonly outputs?: readonly (readonly [string, string])[];
  readonly outputNode?: boolean;
  readonly outputTooltips?: readonly string[];
}

/**
 * Builds a full `object_info` entry with the key order ComfyUI serves (`input`, `input_order`,
 * `output`, `output_is_list`, `output_name`, `name`, `display_name`, `description`,
 * `python_module`, `category`, `output_node`, then `output_tooltips` when the node has them).
 */
export function defineNode(parts: NodeDefinitionParts): FullNodeDefinition {
  const input: { required?: Record<string, InputSpec>; optional?: Record<string, InputSpec>; hidden?: Record<string, string> } = {};
  const inputOrder: Record<string, string[]> = {};
  if (parts.required) {
    input.required = { ...parts.required };
    inputOrder.required = Object.keys(parts.required);
  }
  if (parts.optional) {
    input.optional = { ...parts.optional };
    inputOrder.optional = Object.keys(parts.optional);
  }
  if (parts.hidden) {
    input.hidden = { ...parts.hidden };
    inputOrder.hidden = Object.keys(parts.hidden);
  }
  const outputs = parts.outputs ?? [];
  const definition: FullNodeDefinition = {
    input,
    input_order: inputOrder,
    output: outputs.map(([type]) => type),
    output_is_list: outputs.map(() => false),
    output_name: outputs.map(([, name]) => name),
    name: parts.name,
    display_name: parts.displayName,
    description: parts.description ?? '',
    python_module: parts.pythonModule ?? 'nodes',
    category: parts.category,
    output_node: parts.outputNode ?? false,
  };
  return parts.outputTooltips ? { ...definition, output_tooltips: [...parts.outputTooltips] } : definition;
}

/** The hidden inputs of ComfyUI's savers. */
export const SAVER_HIDDEN_INPUTS = { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' } as const;
