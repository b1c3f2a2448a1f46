import { ObjectInfoIndex } from '../objectInfoIndex';
import type { ApiPrompt } from '../apiPrompt';
import { ConversionContext, type ToApiPromptOptions } from './conversionContext';
import { emitPrompt } from './emitPrompt';
import { findMissingTypes } from './findMissingTypes';
import { normalizeWorkflow } from './normalizeWorkflow';
import type { PromptSources } from './valueSource';
import type { ConversionWarning } from './warnings';

/**
 * The passes of `toApiPrompt` over a UI workflow (see there); with `traceSources`, also where each
 * literal of the prompt lives in the file (`sources`), for writing a run's values back.
 * @example runPasses(uiWorkflow, index, {}, true).sources.get('3')?.get('seed') // { node, slot: 0, name: 'seed' }
 */
export function runPasses(uiWorkflow: unknown, objectInfo: unknown, options: ToApiPromptOptions, traceSources = false): { prompt: ApiPrompt; warnings: ConversionWarning[]; sources: PromptSources } {
  const workflow = normalizeWorkflow(uiWorkflow);
  const ctx = new ConversionContext(workflow, ObjectInfoIndex.from(objectInfo), options, traceSources);
  findMissingTypes(ctx);
  const prompt = emitPrompt(ctx);
  return { prompt, warnings: ctx.warnings, sources: ctx.sources ?? new Map() };
}
