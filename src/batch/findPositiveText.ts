import type { Workflow, WorkflowNode } from '../protocol/api';
import { formatInputPath, isLink } from './inputPath';

/** Samplers, and the input that carries (or leads to) their positive conditioning. */
export const SAMPLER_POSITIVE: Readonly<Record<string, string>> = {
  KSampler: 'positive',
  KSamplerAdvanced: 'positive',
  SamplerCustom: 'positive',
  SamplerCustomAdvanced: 'guider',
};

/** Text encoders and their prompt inputs. */
export const TEXT_ENCODER_INPUTS: Readonly<Record<string, readonly string[]>> = {
  CLIPTextEncode: ['text'],
  CLIPTextEncodeSDXL: ['text_g', 'text_l'],
  CLIPTextEncodeSDXLRefiner: ['text'],
  CLIPTextEncodeFlux: ['clip_l', 't5xxl'],
  CLIPTextEncodeSD3: ['clip_l', 'clip_g', 't5xxl'],
  CLIPTextEncodeHunyuanDiT: ['bert', 'mt5xl'],
};

/**
 * Inputs followed through conditioning nodes between a sampler and its text encoder, first match
 * wins (`LTXVConditioning.positive`, `FluxGuidance.conditioning`, `CFGGuider.positive`,
 * `BasicGuider.conditioning`, `ConditioningSetArea.conditioning`, `ConditioningCombine.conditioning_1`...).
 */
const CONDITIONING_INPUTS = ['positive', 'conditioning', 'conditioning_to', 'conditioning_1', 'cond', 'guider'] as const;

/** Inputs of string nodes (`PrimitiveStringMultiline.value`) a text encoder's text may be linked to. */
const STRING_SOURCE_INPUTS = ['value', 'text', 'string'] as const;

const MAX_HOPS = 32;

/** Where the positive prompt goes, or why it was not found. */
export interface PositiveTextSearch {
  /** Input paths of the positive text (several when several samplers or encoders are found). */
  readonly paths: readonly string[];
  readonly lookedFor: readonly string[];
  /** Dead ends met on the way, for the error message. */
  readonly notes: readonly string[];
}

/**
 * Follows every sampler's positive link (through conditioning nodes like `LTXVConditioning`,
 * `FluxGuidance`, guiders) to the text encoder it ends at, and returns that encoder's text inputs.
 * A text input linked to a string node (`PrimitiveStringMultiline`) resolves to that node's value.
 */
export function findPositiveText(workflow: Workflow): PositiveTextSearch {
  const paths = new Set<string>();
  const notes: string[] = [];
  for (const [id, node] of Object.entries(workflow)) {
    const input = SAMPLER_POSITIVE[node.class_type];
    if (input === undefined) continue;
    const end = follow(workflow, id, node, input, notes);
    if (end) for (const path of end) paths.add(path);
  }
  if (notes.length === 0 && paths.size === 0) notes.push('no sampler in the workflow');
  return {
    paths: [...paths],
    lookedFor: [
      `a sampler (${Object.keys(SAMPLER_POSITIVE).join(', ')}) whose positive input leads to a text encoder (${Object.entries(TEXT_ENCODER_INPUTS)
        .map(([classType, inputs]) => `${classType}.${inputs.join('/')}`)
        .join(', ')})`,
    ],
    notes: paths.size ? [] : notes,
  };
}

function follow(workflow: Workflow, samplerId: string, sampler: WorkflowNode, input: string, notes: string[]): string[] | undefined {
  let link: unknown = sampler.inputs[input];
  let from = `${sampler.class_type} ${samplerId}.${input}`;
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (!isLink(link)) {
      notes.push(`${from} is not linked to anything`);
      return undefined;
    }
    const id = String(link[0]);
    const node = workflow[id];
    if (!node) {
      notes.push(`${from} links to node ${id}, which is not in the workflow`);
      return undefined;
    }
    if (seen.has(id)) {
      notes.push(`${from} links back to node ${id} (a cycle)`);
      return undefined;
    }
    seen.add(id);
    const textInputs = TEXT_ENCODER_INPUTS[node.class_type];
    if (textInputs) {
      const present = textInputs.filter((name) => name in node.inputs);
      if (present.length === 0) {
        notes.push(`${from} leads to ${node.class_type} ${id}, which has none of its text inputs (${textInputs.join(', ')})`);
        return undefined;
      }
      return present.map((name) => textSource(workflow, id, node, name));
    }
    const next = CONDITIONING_INPUTS.find((name) => isLink(node.inputs[name]));
    if (!next) {
      notes.push(`${from} leads to ${node.class_type} ${id}, which is no known text encoder and has no conditioning input to follow (${CONDITIONING_INPUTS.join(', ')})`);
      return undefined;
    }
    from = `${node.class_type} ${id}.${next}`;
    link = node.inputs[next];
  }
  notes.push(`${from}: gave up after ${MAX_HOPS} nodes`);
  return undefined;
}

/** The encoder's own input, or the string node's value it is linked to. */
function textSource(workflow: Workflow, id: string, node: WorkflowNode, input: string): string {
  const value = node.inputs[input];
  if (!isLink(value)) return formatInputPath(id, input);
  const sourceId = String(value[0]);
  const source = workflow[sourceId];
  const literal = source && STRING_SOURCE_INPUTS.find((name) => typeof source.inputs[name] === 'string');
  return literal ? formatInputPath(sourceId, literal) : formatInputPath(id, input);
}
