import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeComfyServer } from '../testing';
import type { MemoryChildInput, MemoryChildResult } from './children/memory.child';
import { type BenchConfig, benchConfig } from './config';
import { runChild } from './harness/childProcess';
import { type BenchResult, atMost } from './harness/report';
import { fixed, mib } from './harness/stats';

/** Target of case 4: heapUsed after the prompts (after GC) within 10 MiB of before. */
export const MEMORY_TARGET_BYTES = 10 * 2 ** 20;

/**
 * Case 4: no leak. A child process (`node --expose-gc`) runs `prompts` prompts through one
 * ComfyClient, `concurrency` at a time, against a fake in this process; it reports heapUsed after
 * full GCs before and after (the fake's own history and files stay out of the measurement).
 */
export async function memoryBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { warmupPrompts, prompts, concurrency } = config.memory;
  const fake = await FakeComfyServer.start();
  let result: MemoryChildResult;
  try {
    const input: MemoryChildInput = { url: fake.url, warmupPrompts, prompts, concurrency };
    result = await runChild<MemoryChildResult>(path.join(__dirname, 'children', 'memory.child.ts'), input);
  } finally {
    await fake.stop();
  }
  const growth = result.heapAfter - result.heapBefore;
  return {
    id: 'memory',
    title: `4. Memory: heap after ${prompts} prompts (${concurrency} at a time, one ComfyClient, child process with GC)`,
    columns: ['heapUsed before', 'heapUsed after', 'growth', 'peak (no GC)', 'RSS before', 'RSS after', 'prompts/s'],
    rows: [[mib(result.heapBefore), mib(result.heapAfter), mib(growth), mib(result.heapPeak), mib(result.rssBefore), mib(result.rssAfter), fixed((result.completed * 1000) / result.elapsedMs, 0)]],
    verdicts: [atMost('heap growth', growth / 2 ** 20, MEMORY_TARGET_BYTES / 2 ** 20, ' MiB')],
    notes: [`${result.completed} prompts completed, ${result.outputs} outputs, after ${warmupPrompts} warm-up prompts`],
    checksum: result.outputs,
    data: {
      heapBefore: result.heapBefore,
      heapAfter: result.heapAfter,
      heapGrowth: growth,
      heapPeak: result.heapPeak,
      rssBefore: result.rssBefore,
      rssAfter: result.rssAfter,
      completed: result.completed,
      elapsedMs: result.elapsedMs,
    },
    elapsedMs: performance.now() - started,
  };
}
