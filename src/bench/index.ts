/**
 * `npm run bench`: every benchmark of comfyui-rx, each next to its baseline in the same run
 * (docs/style.md §8). `BENCH_QUICK=1` runs small sizes; `BENCH_ONLY=sequential,dispatch` runs some;
 * `BENCH_JSON=file` also writes the results as JSON.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BENCHMARKS } from './benchmarks';
import { realServerBench } from './realServer.bench';
import { benchConfig } from './config';
import { machineInfo, machineLine } from './harness/machine';
import { type BenchResult, formatResult, formatTable } from './harness/report';
import { fixed } from './harness/stats';

async function main(): Promise<void> {
  const config = benchConfig();
  const only = process.env.BENCH_ONLY?.split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
  if (unknown.length) throw new Error(`Unknown BENCH_ONLY ids: ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.id).join(', ')})`);
  const machine = machineInfo();
  console.log(`comfyui-rx benchmarks${config.quick ? ' (quick)' : ''} | ${machineLine(machine)}`);
  const started = performance.now();
  const results: BenchResult[] = [];
  const real = process.env.COMFYUI_URL;
  const runs = real ? [{ id: 'realServer', run: () => realServerBench(real, config) }] : BENCHMARKS.filter((bench) => !only || only.includes(bench.id));
  for (const bench of runs) {
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
