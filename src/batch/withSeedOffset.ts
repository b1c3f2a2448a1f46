import type { Workflow } from '../protocol/api';

/** Inputs that hold a sampler's seed. */
const SEED_INPUTS = ['seed', 'noise_seed'] as const;

/**
 * The workflow with every numeric seed input (`seed`, `noise_seed`) plus `offset`, so runs of one
 * workflow differ (and are not served from the server's cache). Offset 0 gives the workflow itself;
 * any other a copy (the workflow is never mutated).
 * @example withSeedOffset({ '3': { class_type: 'KSampler', inputs: { seed: 7 } } }, 2) // seed 9
 */
export function withSeedOffset(workflow: Workflow, offset: number): Workflow {
  if (offset === 0) return workflow;
  const copy = structuredClone(workflow);
  for (const node of Object.values(copy)) {
    for (const key of SEED_INPUTS) {
      const value = node.inputs[key];
      if (typeof value === 'number') node.inputs[key] = value + offset;
    }
  }
  return copy;
}

/** The first numeric seed input of a workflow (in node order), if any. */
export function firstSeedOf(workflow: Workflow): number | undefined {
  for (const node of Object.values(workflow)) {
    for (const key of SEED_INPUTS) {
      const value = node.inputs[key];
      if (typeof value === 'number') return value;
    }
  }
  return undefined;
}
