/**
 * The converter's Get/Set case, child side: KJNodes Set/Get pairs at two sizes, each against
 * `JSON.parse` of the same file, in a fresh process, so the larger size's garbage is collected in a
 * heap of its own and not in the bench process's (which holds every earlier case's data and made
 * the growth of a pair's cost depend on what ran before). Started by `convert.bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectInfoIndex } from '../../workflow/objectInfoIndex';
import { toApiPrompt } from '../../workflow/convert/toApiPrompt';
import { getSetWorkflow } from '../convert.bench';
import { compareRounds } from '../harness/compare';
import { childMain } from '../harness/childProcess';

/** What the parent sends. */
export interface GetSetPairsInput {
  readonly pairCounts: readonly number[];
  readonly warmup: number;
  readonly rounds: number;
}

/**
 * Per size, in order: the CPU time (ms) of `JSON.parse` and of `toApiPrompt`, each its best round:
 * the work is the same every round and a shared machine's noise (and a major GC falling in one
 * round or another) only adds to it, so the best round is the steadiest estimate of a size's cost.
 */
export interface GetSetPairsResult {
  readonly sizes: readonly { readonly pairs: number; readonly parseCpuMs: number; readonly convertCpuMs: number }[];
  readonly checksum: number;
}

childMain<GetSetPairsInput, GetSetPairsResult>(async ({ pairCounts, warmup, rounds }) => {
  const objectInfo = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflow', '__fixtures__', 'object_info-0.8.0.json'), 'utf8')) as Record<string, unknown>;
  const index = ObjectInfoIndex.from(objectInfo);
  const cases = pairCounts.map((pairs) => {
    const text = JSON.stringify(getSetWorkflow(pairs));
    return { pairs, text, value: JSON.parse(text) as unknown };
  });
  const pairing = await compareRounds(
    cases.flatMap(({ pairs, text, value }) => [
      { name: `JSON.parse(${pairs} pairs)`, run: () => (JSON.parse(text) as { nodes: unknown[] }).nodes.length },
      { name: `toApiPrompt(${pairs} pairs)`, run: () => Object.keys(toApiPrompt(value, index).prompt).length },
    ]),
    { warmup, rounds, setup: () => undefined },
  );
  return {
    sizes: cases.map(({ pairs }, i) => ({ pairs, parseCpuMs: Math.min(...pairing.cases[2 * i]!.cpuSamplesMs), convertCpuMs: Math.min(...pairing.cases[2 * i + 1]!.cpuSamplesMs) })),
    checksum: pairing.checksum,
  };
});
