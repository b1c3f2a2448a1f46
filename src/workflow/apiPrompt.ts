import type { WorkflowNode } from '../protocol/api';

/** One node of the API prompt the converter makes (the protocol's `WorkflowNode`, always with a title). */
export type ApiPromptNode = WorkflowNode & { _meta: { title: string } };

/** The API prompt: execution id -> node (`12`, `12:5` inside subgraph instance 12). */
export type ApiPrompt = Record<string, ApiPromptNode>;
