import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Workflow } from '../protocol/api';
import { WorkflowBuilder } from '../workflow/builder/WorkflowBuilder';
import { generateNodeTypes } from '../workflow/codegen/generateNodeTypes';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import { validatePrompt } from '../workflow/validate/validatePrompt';
import { type BenchConfig, benchConfig } from './config';
import { compareRounds } from './harness/compare';
import type { BenchResult } from './harness/report';
import { fixed, times } from './harness/stats';

/** Nodes in the built workflow. */
export const CODEGEN_BENCH_NODES = 1_000;

const OBJECT_INFO_080 = path.resolve(__dirname, '..', 'workflow', '__fixtures__', 'object_info-0.8.0.json');

/**
 * Workflows as code, on the shared 0.8.0 `/object_info` (449 classes):
 * - codegen: `generateNodeTypes` (index every class, type every input and output, print the
 *   module) against `JSON.stringify` of the same `/object_info` (writing the answer out as text);
 * - a 1,000-node workflow: a plain object literal of the prompt (the baseline: what a script
 *   writes by hand) against `WorkflowBuilder` without `/object_info`, with it (names checked,
 *   defaults filled, `build({ validate: false })`), and with `build()` validating the prompt;
 *   `validatePrompt` alone on the same prompt shows what validation costs. All sides build the
 *   same prompt (checked before timing). Rounds alternate the order of the cases; medians.
 */
export async function codegenBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const warmup = config.quick ? 1 : 3;
  const rounds = config.quick ? 3 : 21;
  const objectInfo = JSON.parse(readFileSync(OBJECT_INFO_080, 'utf8')) as Record<string, unknown>;
  const classes = Object.keys(objectInfo).length;

  let moduleBytes = 0;
  const generation = await compareRounds(
    [
      { name: 'JSON.stringify(/object_info)', run: () => JSON.stringify(objectInfo).length },
      { name: 'generateNodeTypes(/object_info)', run: () => (moduleBytes = generateNodeTypes(objectInfo, { serverVersion: '0.8.0' }).length) },
    ],
    { warmup, rounds, setup: () => undefined },
  );

  const index = ObjectInfoIndex.from(objectInfo);
  const plain = plainWorkflow(CODEGEN_BENCH_NODES);
  for (const built of [builtWorkflow(CODEGEN_BENCH_NODES), builtWorkflow(CODEGEN_BENCH_NODES, index), builtWorkflow(CODEGEN_BENCH_NODES, index, true)]) {
    if (!isDeepStrictEqual(built, plain)) throw new Error('codegen bench: the builder and the plain literal built different prompts');
  }
  const count = (prompt: Workflow) => Object.keys(prompt).length;
  const building = await compareRounds(
    [
      { name: 'plain object literal', run: () => count(plainWorkflow(CODEGEN_BENCH_NODES)) },
      { name: 'WorkflowBuilder, no /object_info', run: () => count(builtWorkflow(CODEGEN_BENCH_NODES)) },
      { name: 'WorkflowBuilder + /object_info, validate: false', run: () => count(builtWorkflow(CODEGEN_BENCH_NODES, index)) },
      { name: 'WorkflowBuilder + /object_info, build() validates', run: () => count(builtWorkflow(CODEGEN_BENCH_NODES, index, true)) },
      { name: 'validatePrompt alone (same prompt)', run: () => validatePrompt(plain, index).status },
    ],
    { warmup, rounds, setup: () => undefined },
  );

  const ms = (cases: typeof generation.cases, i: number) => cases[i]?.medianMs ?? NaN;
  const rows = [
    ...generation.cases.map((c) => [`codegen, ${classes} classes: ${c.name}`, fixed(c.medianMs, 2), times(c.medianMs / ms(generation.cases, 0))]),
    ...building.cases.map((c, i) => [`${CODEGEN_BENCH_NODES} nodes: ${c.name}`, fixed(c.medianMs, 2), i === 0 ? '1.00x' : times(c.medianMs / ms(building.cases, 0))]),
  ];
  return {
    id: 'codegen',
    title: `Workflows as code on the 0.8.0 /object_info: codegen and a ${CODEGEN_BENCH_NODES}-node build (${rounds} rounds, medians, ms)`,
    columns: ['case', 'median ms', 'ratio to baseline'],
    rows,
    verdicts: [],
    notes: [
      `the generated module: ${fixed(moduleBytes / 1024, 0)} KiB for ${classes} classes`,
      `each baseline is the first row of its group (JSON.stringify of the same /object_info; the same prompt as a plain object literal)`,
    ],
    checksum: generation.checksum + building.checksum,
    data: {
      classes,
      moduleBytes,
      stringifyMs: ms(generation.cases, 0),
      codegenMs: ms(generation.cases, 1),
      plainMs: ms(building.cases, 0),
      builderUntypedMs: ms(building.cases, 1),
      builderCheckedMs: ms(building.cases, 2),
      builderValidatedMs: ms(building.cases, 3),
      validateMs: ms(building.cases, 4),
    },
    elapsedMs: performance.now() - started,
  };
}

/** Groups of four nodes fed by one EmptyImage: invert, scale, blend, save; PreviewImages fill up to `nodes`. */
function groupsOf(nodes: number): { groups: number; previews: number } {
  const groups = Math.floor((nodes - 1) / 4);
  return { groups, previews: nodes - 1 - 4 * groups };
}

function builtWorkflow(nodes: number, index?: ObjectInfoIndex, validate = false): Workflow {
  const g = new WorkflowBuilder(index);
  const add = (classType: string, inputs: Record<string, unknown>) => g.add(classType, inputs, { title: classType }); // the literal's titles
  const { groups, previews } = groupsOf(nodes);
  const source = add('EmptyImage', { width: 64, height: 64, batch_size: 1, color: 0 });
  let last = source.output(0);
  for (let i = 0; i < groups; i++) {
    const inverted = add('ImageInvert', { image: last });
    const scaled = add('ImageScaleBy', { image: inverted.output(0), upscale_method: 'area', scale_by: 1 });
    const blended = add('ImageBlend', { image1: scaled.output(0), image2: source.output(0), blend_factor: 0.5, blend_mode: 'normal' });
    add('SaveImage', { images: blended.output(0), filename_prefix: 'ComfyUI' });
    last = blended.output(0);
  }
  for (let i = 0; i < previews; i++) add('PreviewImage', { images: last });
  return g.build({ validate });
}

function plainWorkflow(nodes: number): Workflow {
  const prompt: Workflow = {};
  const { groups, previews } = groupsOf(nodes);
  let id = 1;
  const add = (class_type: string, inputs: Record<string, unknown>, title: string): string => {
    const key = String(id++);
    prompt[key] = { class_type, inputs, _meta: { title } };
    return key;
  };
  const source = add('EmptyImage', { width: 64, height: 64, batch_size: 1, color: 0 }, 'EmptyImage');
  let last = source;
  for (let i = 0; i < groups; i++) {
    const inverted = add('ImageInvert', { image: [last, 0] }, 'ImageInvert');
    const scaled = add('ImageScaleBy', { image: [inverted, 0], upscale_method: 'area', scale_by: 1 }, 'ImageScaleBy');
    last = add('ImageBlend', { image1: [scaled, 0], image2: [source, 0], blend_factor: 0.5, blend_mode: 'normal' }, 'ImageBlend');
    add('SaveImage', { images: [last, 0], filename_prefix: 'ComfyUI' }, 'SaveImage');
  }
  for (let i = 0; i < previews; i++) add('PreviewImage', { images: [last, 0] }, 'PreviewImage');
  return prompt;
}
