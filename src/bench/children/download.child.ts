/**
 * Case 5, child side: downloads one big `/view` file from a fake in the parent process, either
 * with `saveOutputs` (ours) or with plain `fetch` + `pipeline` (baseline), and samples this
 * process's RSS every few ms meanwhile. Started by `download.bench.ts` with --expose-gc.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { lastValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { saveOutputs } from '../../outputs';
import { childMain, exposedGc } from '../harness/childProcess';

/** What the parent sends. */
export interface DownloadChildInput {
  readonly url: string;
  readonly mode: 'ours' | 'baseline';
  readonly dir: string;
  readonly filename: string;
  readonly sizeBytes: number;
  readonly sampleEveryMs: number;
}

/** What the child answers (bytes, ms). */
export interface DownloadChildResult {
  readonly elapsedMs: number;
  readonly bytes: number;
  readonly rssBefore: number;
  /** Highest sampled RSS minus `rssBefore`. */
  readonly peakRssGrowth: number;
  /** The kernel's RSS high-water mark (`resourceUsage().maxRSS`) growth during the download. */
  readonly maxRssGrowth: number;
  /** Highest sampled V8 heap size (`heapTotal`, young generation included) minus its size before. */
  readonly peakHeapTotalGrowth: number;
  /** Highest sampled `arrayBuffers` (Buffer memory: what buffering a download would grow) minus before. */
  readonly peakArrayBuffersGrowth: number;
  readonly samples: number;
}

async function download(input: DownloadChildInput, target: string): Promise<number> {
  const ref = { filename: input.filename, subfolder: '', type: 'output' };
  if (input.mode === 'ours') {
    const comfy = new ComfyClient({ url: input.url });
    const saved = await lastValueFrom(saveOutputs(comfy.http, { bench: { files: [ref] } }, { dir: path.dirname(target), onExisting: 'overwrite' }));
    return saved.bytes;
  }
  const query = new URLSearchParams(ref);
  const response = await fetch(`${input.url}/view?${query.toString()}`);
  if (!response.ok || !response.body) throw new Error(`GET /view: HTTP ${response.status}`);
  // fetch's body is typed with the DOM lib's ReadableStream; at run time it is Node's own.
  await pipeline(Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>), createWriteStream(target));
  return (await stat(target)).size;
}

childMain<DownloadChildInput, DownloadChildResult>(async (input) => {
  const gc = exposedGc();
  await mkdir(input.dir, { recursive: true });
  const target = path.join(input.dir, input.filename);
  await rm(target, { force: true });
  gc();
  const before = process.memoryUsage();
  const rssBefore = before.rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let peak = rssBefore;
  let peakHeapTotal = before.heapTotal;
  let peakArrayBuffers = before.arrayBuffers;
  let samples = 0;
  const sample = () => {
    samples++;
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss);
    peakHeapTotal = Math.max(peakHeapTotal, now.heapTotal);
    peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
  };
  const sampler = setInterval(sample, input.sampleEveryMs);
  const started = performance.now();
  try {
    const bytes = await download(input, target);
    const elapsedMs = performance.now() - started;
    sample();
    if (bytes !== input.sizeBytes) throw new Error(`downloaded ${bytes} bytes, expected ${input.sizeBytes}`);
    return {
      elapsedMs,
      bytes,
      rssBefore,
      peakRssGrowth: peak - rssBefore,
      maxRssGrowth: Math.max(0, process.resourceUsage().maxRSS * 1024 - maxRssBefore),
      peakHeapTotalGrowth: peakHeapTotal - before.heapTotal,
      peakArrayBuffersGrowth: peakArrayBuffers - before.arrayBuffers,
      samples,
    };
  } finally {
    clearInterval(sampler);
    await rm(target, { force: true });
  }
});
