/**
 * `npm run bench`: every benchmark of comfyui-rx, each next to its baseline in the same run
 * (style.md §8). `BENCH_QUICK=1` runs small sizes; `BENCH_ONLY=sequential,dispatch` runs some;
 * `BENCH_JSON=file` also writes the results as JSON.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { attributionBench } from './attribution.bench';
import { componentsBench } from './components.bench';
import { concurrentBench } from './concurrent.bench';
import { type BenchConfig, benchConfig } from './config';
import { dispatchBench } from './dispatch.bench';
import { downloadBench } from './download.bench';
import { machineInfo, machineLine } from './harness/machine';
import { type BenchResult, formatResult, formatTable } from './harness/report';
import { fixed } from './harness/stats';
import { memoryBench } from './memory.bench';
import { poolBench } from './pool.bench';
import { sequentialBench } from './sequential.bench';

/** Every benchmark, in run order: the six cases, then where the time of cases 1-2 goes. */
export const BENCHMARKS: readonly { readonly id: string; readonly run: (config: BenchConfig) => Promise<BenchResult> }[] = [
  { id: 'sequential', run: sequentialBench },
  { id: 'concurrent', run: concurrentBench },
  { id: 'dispatch', run: dispatchBench },
  { id: 'memory', run: memoryBench },
  { id: 'download', run: downloadBench },
  { id: 'pool', run: poolBench },
  { id: 'attribution', run: attributionBench },
  { id: 'components', run: componentsBench },
];

async function main(): Promise<void> {
  const config = benchConfig();
  const only = process.env.BENCH_ONLY?.split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
  if (unknown.length) throw new Error(`Unknown BENCH_ONLY ids: ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.id).join(', ')})`);
  const machine = machineInfo();
  console.log(`comfyui-rx benchmarks${config.quick ? ' (quick)' : ''} | ${machineLine(machine)}`);
  const started = performance.now();
  const results: BenchResult[] = [];
  for (const bench of BENCHMARKS) {
    if (only && !only.includes(bench.id)) continue;
    const result = await bench.run(config);
    results.push(result);
    console.log(`\n${formatResult(result)}`);
  }
  const verdicts = results.flatMap((r) => r.verdicts.map((v) => [r.id, v.label, `${fixed(v.value)}${v.unit}`, `<= ${fixed(v.target)}${v.unit}`, v.met ? 'met' : 'MISSED']));
  console.log(`\n== Summary (${fixed((performance.now() - started) / 1000, 1)} s)\n${formatTable(['case', 'measure', 'value', 'target', 'verdict'], verdicts)}`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ machine, quick: config.quick, results }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
