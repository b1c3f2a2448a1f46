/**
 * Case 4, child side: runs prompts through one ComfyClient against a fake in the parent process,
 * so the heap measured is the client's alone. Started by `memory.bench.ts` with --expose-gc.
 */
import { ComfyClient } from '../../client';
import { childMain, exposedGc } from '../harness/childProcess';
import { colors, twoNodeImage } from '../workloads';

/** What the parent sends. */
export interface MemoryChildInput {
  readonly url: string;
  readonly warmupPrompts: number;
  readonly prompts: number;
  readonly concurrency: number;
}

/** What the child answers (bytes, ms). */
export interface MemoryChildResult {
  readonly heapBefore: number;
  readonly heapAfter: number;
  /** Largest heapUsed seen between prompts (no forced GC). */
  readonly heapPeak: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly elapsedMs: number;
  readonly completed: number;
  readonly outputs: number;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Full collections until heapUsed stops shrinking (at most 5). */
async function collectedHeap(gc: () => void): Promise<number> {
  let previous = Infinity;
  for (let i = 0; i < 5; i++) {
    await settle();
    gc();
    const used = process.memoryUsage().heapUsed;
    if (used >= previous) return used;
    previous = used;
  }
  return previous;
}

childMain<MemoryChildInput, MemoryChildResult>(async ({ url, warmupPrompts, prompts, concurrency }) => {
  const gc = exposedGc();
  const comfy = new ComfyClient({ url, lingerMs: 0 }); // closes at once when released
  const hold = comfy.connect();
  const color = colors();
  let outputs = 0;
  let completed = 0;
  let heapPeak = 0;
  const sampleEvery = Math.max(1, Math.floor(prompts / 40));
  const runMany = async (count: number) => {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next++;
        const done = await comfy.runAsync(twoNodeImage(color()));
        outputs += Object.keys(done.outputs).length;
        completed++;
        if (completed % sampleEvery === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  try {
    await runMany(warmupPrompts);
    const heapBefore = await collectedHeap(gc);
    const rssBefore = process.memoryUsage().rss;
    completed = 0;
    const started = performance.now();
    await runMany(prompts);
    const elapsedMs = performance.now() - started;
    const heapAfter = await collectedHeap(gc);
    return { heapBefore, heapAfter, heapPeak, rssBefore, rssAfter: process.memoryUsage().rss, elapsedMs, completed, outputs };
  } finally {
    hold.unsubscribe();
  }
});
