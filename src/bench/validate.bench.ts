import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Workflow } from '../protocol/api';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import { validatePrompt } from '../workflow/validate/validatePrompt';
import { type BenchConfig, benchConfig } from './config';
import { compareRounds } from './harness/compare';
import type { BenchResult } from './harness/report';
import { fixed, times } from './harness/stats';

const ROOT = join(__dirname, '..', '..');
const CHECKPOINT = 'v1-5-pruned-emaonly.safetensors';

/** The real 0.8.0 `/object_info` (449 classes), with the template's checkpoint listed so that the prompt is valid. */
function objectInfo080(): Record<string, { input: { required: Record<string, unknown[]> } }> {
  const info = JSON.parse(readFileSync(join(ROOT, 'src/workflow/__fixtures__/object_info-0.8.0.json'), 'utf8')) as Record<string, { input: { required: Record<string, unknown[]> } }>;
  info.CheckpointLoaderSimple!.input.required.ckpt_name![0] = [CHECKPOINT];
  return info;
}

/** `copies` text2image graphs (7 nodes each) side by side, with ids renumbered: one prompt of `7 * copies` nodes. */
function manyText2Image(copies: number, edit: (node: { class_type: string; inputs: Record<string, unknown> }) => void = () => {}): Record<string, unknown> {
  const template = JSON.parse(readFileSync(join(ROOT, 'examples/workflows/text2image.json'), 'utf8')) as Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  const prompt: Record<string, unknown> = {};
  for (let copy = 0; copy < copies; copy++) {
    const id = (old: string) => String(copy * 100 + Number(old));
    for (const [old, node] of Object.entries(template)) {
      const inputs = Object.fromEntries(Object.entries(node.inputs).map(([name, value]) => [name, Array.isArray(value) ? [id(String(value[0])), value[1]] : value]));
      const copied = { ...node, inputs };
      edit(copied);
      prompt[id(old)] = copied;
    }
  }
  return prompt;
}

/**
 * Offline validation of a 1,001-node prompt (143 text2image graphs) against the real 0.8.0
 * `/object_info`, next to what a client already pays per prompt: the baseline is a JSON round trip
 * of the prompt (serialising it for `POST /prompt`), then the zod `Workflow` check. Cases:
 * `validatePrompt` with a reused `ObjectInfoIndex`, with the raw `/object_info` (indexed per call),
 * and on the same prompt with an error in every KSampler (143 node errors).
 */
export async function validateBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const warmup = config.quick ? 2 : 10;
  const rounds = config.quick ? 5 : 31;
  const copies = config.quick ? 15 : 143;
  const info = objectInfo080();
  const index = ObjectInfoIndex.from(info);
  const valid = manyText2Image(copies);
  const invalid = manyText2Image(copies, (node) => {
    if (node.class_type === 'KSampler') node.inputs.steps = 0;
  });
  const nodes = Object.keys(valid).length;
  const outputs = (answer: ReturnType<typeof validatePrompt>) => (answer.status === 200 ? answer.outputs.length : Object.keys(answer.node_errors).length);
  const { cases, checksum } = await compareRounds(
    [
      { name: 'baseline: JSON round trip + zod Workflow', run: () => Object.keys((Workflow.safeParse(JSON.parse(JSON.stringify(valid))).data ?? {}) as object).length },
      { name: 'validatePrompt (index reused)', run: () => outputs(validatePrompt(valid, index)) },
      { name: 'validatePrompt (raw /object_info)', run: () => outputs(validatePrompt(valid, info)) },
      { name: `validatePrompt, ${copies} node errors`, run: () => outputs(validatePrompt(invalid, index)) },
    ],
    { warmup, rounds, setup: () => undefined },
  );
  const base = cases[0]!.medianMs;
  return {
    id: 'validate',
    title: `Offline validation of a ${nodes}-node prompt against the 0.8.0 /object_info (${rounds} rounds, medians)`,
    columns: ['case', 'ms', 'µs/node', 'ratio'],
    rows: cases.map((c) => [c.name, fixed(c.medianMs, 3), fixed((c.medianMs * 1000) / nodes, 2), times(c.medianMs / base)]),
    verdicts: [],
    notes: [`checksum counts outputs (valid) or node errors (invalid) per call; ${Object.keys(info).length} classes in /object_info`],
    checksum,
    data: {
      nodes,
      baselineMs: base,
      reusedIndexMs: cases[1]!.medianMs,
      rawObjectInfoMs: cases[2]!.medianMs,
      invalidMs: cases[3]!.medianMs,
      reusedIndexRatio: cases[1]!.medianMs / base,
    },
    elapsedMs: performance.now() - started,
  };
}
