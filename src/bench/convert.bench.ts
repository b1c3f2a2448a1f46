import { readdirSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import { toApiPrompt } from '../workflow/convert/toApiPrompt';
import { type BenchConfig, benchConfig } from './config';
import type { GetSetPairsInput, GetSetPairsResult } from './children/getSetPairs.child';
import { runChild } from './harness/childProcess';
import { compareRounds } from './harness/compare';
import { atMost, type BenchResult } from './harness/report';
import { fixed, times } from './harness/stats';

const FIXTURES = join(__dirname, '..', 'workflow', '__fixtures__');

/**
 * The converter's cost (its targets: README, Performance; results: BENCHMARKS.md), each against `JSON.parse` of the same bytes in the same
 * run (alternating rounds, medians):
 * - converting a UI workflow of about 1,000 nodes (the 10 shared editor files side by side, ids
 *   and links offset per copy, group nodes included) with a warm index of the real /object_info;
 * - indexing the real 0.8.0 /object_info (393 KB): `ObjectInfoIndex.from` alone (lazy), and with
 *   every class parsed and laid out (what a conversion touching every class would pay);
 * - KJNodes Set/Get pairs at two sizes (10x apart), in a child process of their own: the cost of a
 *   pair must not grow with their number more than `JSON.parse`'s does on the same files.
 */
export async function convertBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const warmup = config.quick ? 1 : 5;
  const rounds = config.quick ? 3 : 21;
  const objectInfoText = readFileSync(join(FIXTURES, 'object_info-0.8.0.json'), 'utf8');
  const objectInfo = JSON.parse(objectInfoText) as Record<string, unknown>;
  const workflowText = JSON.stringify(bigWorkflow(config.quick ? 200 : 1_000));
  const workflow = JSON.parse(workflowText) as { nodes: unknown[] };
  const index = ObjectInfoIndex.from(objectInfo);
  const nodeCount = (toApiPrompt(workflow, index).prompt, workflow.nodes.length);

  const conversion = await compareRounds(
    [
      { name: 'JSON.parse(workflow bytes)', run: () => (JSON.parse(workflowText) as { nodes: unknown[] }).nodes.length },
      { name: 'toApiPrompt(workflow)', run: () => Object.keys(toApiPrompt(workflow, index).prompt).length },
    ],
    { warmup, rounds, setup: () => undefined },
  );
  const indexing = await compareRounds(
    [
      { name: 'JSON.parse(/object_info bytes)', run: () => Object.keys(JSON.parse(objectInfoText) as object).length },
      { name: 'ObjectInfoIndex.from', run: () => ObjectInfoIndex.from(objectInfo).classTypes().length },
      {
        name: 'ObjectInfoIndex.from + every class',
        run: () => {
          const fresh = ObjectInfoIndex.from(objectInfo);
          return fresh.classTypes().reduce((sum, name) => sum + (fresh.get(name)?.inputs.length ?? 0), 0);
        },
      },
    ],
    { warmup, rounds, setup: () => undefined },
  );
  // KJNodes Set/Get pairs: each GetNode resolved by a lookup (it scanned its graph: quadratic)
  const pairCounts = config.quick ? [200, 2_000] : [2_000, 20_000];
  const input: GetSetPairsInput = { pairCounts, warmup: config.quick ? 1 : 2, rounds: config.quick ? 3 : 11 };
  const pairing = await runChild<GetSetPairsResult>(path.join(__dirname, 'children', 'getSetPairs.child.ts'), input);
  const pairMs = (i: number) => pairing.sizes[i]!.convertCpuMs;
  const perPairUs = (i: number) => (pairMs(i) * 1000) / pairCounts[i]!;
  const parsePerPairUs = (i: number) => (pairing.sizes[i]!.parseCpuMs * 1000) / pairCounts[i]!;
  /** How much a pair's cost grows at 10x the pairs (a scan per GetNode: 10x). */
  const pairGrowth = perPairUs(1) / perPairUs(0);
  /** The same growth of `JSON.parse` on the same files: linear work in a larger heap (GC, caches). */
  const parseGrowth = parsePerPairUs(1) / parsePerPairUs(0);
  const pairFlatness = pairGrowth / parseGrowth;
  const [parseWorkflow, convert] = conversion.cases;
  const [parseInfo, lazyIndex, fullIndex] = indexing.cases;
  const row = (name: string, ms: number, base: number, note: string) => [name, fixed(ms, 2), times(ms / base), note];
  return {
    id: 'convert',
    title: `UI workflow conversion: ${nodeCount} nodes (${fixed(workflowText.length / 1024, 0)} KB), /object_info of ${fixed(objectInfoText.length / 1024, 0)} KB`,
    columns: ['case', 'median ms', 'ratio', 'baseline'],
    rows: [
      row(parseWorkflow!.name, parseWorkflow!.medianMs, parseWorkflow!.medianMs, 'baseline'),
      row(convert!.name, convert!.medianMs, parseWorkflow!.medianMs, 'vs JSON.parse of the workflow'),
      row(`${convert!.name}, CPU`, convert!.cpuMedianMs, parseWorkflow!.cpuMedianMs, 'vs JSON.parse of the workflow, CPU'),
      ...pairing.sizes.flatMap(({ pairs, parseCpuMs }, i) => [
        row(`JSON.parse(${pairs} pairs)`, parseCpuMs, parseCpuMs, 'baseline (CPU, best round, own process)'),
        row(`toApiPrompt(${pairs} pairs)`, pairMs(i), parseCpuMs, `vs JSON.parse (CPU), ${fixed(perPairUs(i), 1)} µs a pair`),
      ]),
      row(parseInfo!.name, parseInfo!.medianMs, parseInfo!.medianMs, 'baseline'),
      row(lazyIndex!.name, lazyIndex!.medianMs, parseInfo!.medianMs, 'vs JSON.parse of /object_info'),
      row(fullIndex!.name, fullIndex!.medianMs, parseInfo!.medianMs, 'vs JSON.parse of /object_info'),
    ],
    verdicts: [
      atMost(`convert ${nodeCount} nodes (CPU)`, convert!.cpuMedianMs, CONVERT_TARGET_MS, ' ms'),
      atMost(`Get/Set pairs: growth of a pair's cost from ${pairCounts[0]} to ${pairCounts[1]}, over JSON.parse's (linear: 1)`, pairFlatness, PAIRS_FLATNESS_TARGET, 'x'),
    ],
    notes: [
      `${rounds} rounds after ${warmup} warm-up rounds; the index of the conversion case is warm (the client keeps one per server); verdicts on this process's CPU time (wall time on a quiet machine)`,
      `Get/Set pairs (in a child process): EmptyImage -> SetNode, GetNode -> ImageInvert per pair (4 nodes), ${pairCounts.join(' and ')} pairs; a pair's cost grows ${fixed(pairGrowth)}x at 10x the pairs, JSON.parse's ${fixed(parseGrowth)}x (quadratic: 10x)`,
      'the index with every class laid out is what a conversion touching all of /object_info would pay; a client builds it lazily (a workflow touches a few dozen classes)',
    ],
    checksum: conversion.checksum + indexing.checksum + pairing.checksum,
    data: {
      nodes: nodeCount,
      convertMs: convert!.medianMs,
      convertCpuMs: convert!.cpuMedianMs,
      pairsMs: pairMs(1),
      pairsUs: perPairUs(1),
      pairsFlatness: pairFlatness,
      pairsGrowth: pairGrowth,
      pairsParseGrowth: parseGrowth,
      convertRatio: convert!.medianMs / parseWorkflow!.medianMs,
      lazyIndexMs: lazyIndex!.medianMs,
      fullIndexMs: fullIndex!.medianMs,
      fullIndexRatio: fullIndex!.medianMs / parseInfo!.medianMs,
    },
    elapsedMs: performance.now() - started,
  };
}

/** Target: a 1,003-node conversion with a warm index, ms of CPU. */
export const CONVERT_TARGET_MS = 20;
/**
 * Target: Get/Set pairs in linear time: at 10x the pairs, a pair's cost grows at most 1.5x as much
 * as `JSON.parse`'s per pair of the same files (which is linear; its growth is the larger heap's).
 * A scan per GetNode would grow it 10x.
 */
export const PAIRS_FLATNESS_TARGET = 1.5;

/** `pairs` KJNodes Set/Get pairs on core nodes: EmptyImage -> SetNode `v<i>`, GetNode `v<i>` -> ImageInvert. */
export function getSetWorkflow(pairs: number): { nodes: unknown[]; links: unknown[]; version: number } {
  const nodes: unknown[] = [];
  const links: unknown[] = [];
  for (let i = 0; i < pairs; i++) {
    const id = 4 * i + 1;
    const link = 2 * i + 1;
    nodes.push(
      { id, type: 'EmptyImage', widgets_values: [8, 8, 1, i], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [link] }] },
      { id: id + 1, type: 'SetNode', widgets_values: [`v${i}`], inputs: [{ name: 'IMAGE', type: 'IMAGE', link }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
      { id: id + 2, type: 'GetNode', widgets_values: [`v${i}`], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [link + 1] }] },
      { id: id + 3, type: 'ImageInvert', inputs: [{ name: 'image', type: 'IMAGE', link: link + 1 }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
    );
    links.push([link, id, 0, id + 1, 0, 'IMAGE'], [link + 1, id + 2, 0, id + 3, 0, 'IMAGE']);
  }
  return { version: 0.4, nodes, links };
}

type FileNode = { id: number; inputs?: { link: number | null }[]; outputs?: { links?: number[] | null }[] };
type FileLink = [number, number, number, number, number, string];

/** The shared editor files side by side until `target` nodes: each copy's node and link ids offset by 10,000. */
export function bigWorkflow(target: number): { nodes: FileNode[]; links: FileLink[]; extra: { groupNodes: Record<string, unknown> }; version: number } {
  const files = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.workflow.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { nodes: FileNode[]; links: FileLink[]; extra?: { groupNodes?: Record<string, unknown> } });
  const nodes: FileNode[] = [];
  const links: FileLink[] = [];
  const groupNodes: Record<string, unknown> = {};
  for (let copy = 0; nodes.length < target; copy++) {
    const file = files[copy % files.length]!;
    const offset = copy * 10_000;
    Object.assign(groupNodes, file.extra?.groupNodes ?? {});
    for (const node of file.nodes) {
      nodes.push({
        ...node,
        id: node.id + offset,
        ...(node.inputs ? { inputs: node.inputs.map((input) => ({ ...input, link: input.link === null ? null : input.link + offset })) } : {}),
        ...(node.outputs ? { outputs: node.outputs.map((output) => ({ ...output, links: output.links?.map((link) => link + offset) ?? null })) } : {}),
      });
    }
    for (const [id, origin, originSlot, target_, targetSlot, type] of file.links) links.push([id + offset, origin + offset, originSlot, target_ + offset, targetSlot, type]);
  }
  return { version: 0.4, nodes, links, extra: { groupNodes } };
}
