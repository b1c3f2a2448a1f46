export { WorkflowBuilder, type WorkflowBuilderOptions } from './WorkflowBuilder';
export { NodeHandle } from './NodeHandle';
export { Link } from './link';
export type { AddOptions, NodeSpec, NodeTypeMap, UntypedNodes } from './nodeTypes';
export { ComfyUnknownNodeClassError, ComfyUnknownInputError, ComfyUnknownOutputError } from '../../errors';
export { resolveOutput, type ResolvedOutput } from './resolveOutput';
