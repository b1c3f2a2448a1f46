/**
 * The upload case, child side: uploads one big file to a fake in the parent process and samples
 * this process's RSS meanwhile. `baseline`: plain `readFile` + `Blob` + `FormData` + `fetch` (what
 * a script does, and what comfyui-rx did before streaming); `ours`: `comfy.upload(path, { dedupe:
 * false })`, streamed; `dedupe`: `comfy.upload(path)` (hash, `HEAD /view`, upload when the server
 * lacks it), then the same call again (answered from the client's memory). Started by
 * `upload.bench.ts` with --expose-gc.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { firstValueFrom } from 'rxjs';
import { ComfyClient } from '../../client';
import { childMain, exposedGc } from '../harness/childProcess';
import { type MemoryGrowth, sampleMemory } from '../harness/sampleMemory';

/** What the parent sends. */
export interface UploadChildInput {
  readonly url: string;
  readonly mode: 'baseline' | 'ours' | 'dedupe';
  readonly file: string;
  readonly sampleEveryMs: number;
}

/** What the child answers (bytes, ms). */
export interface UploadChildResult {
  readonly elapsedMs: number;
  /** `dedupe`: the second call, answered from memory. */
  readonly memoryHitMs?: number;
  /** What the server answered (`dedupe`: whether it had the file already is the parent's business). */
  readonly value: string;
  readonly peakRssGrowth: number;
  readonly maxRssGrowth: number;
  readonly peakArrayBuffersGrowth: number;
  readonly samples: number;
}

async function upload(input: UploadChildInput, client: ComfyClient): Promise<string> {
  if (input.mode === 'ours') return (await firstValueFrom(client.upload(input.file, { dedupe: false }))).value;
  if (input.mode === 'dedupe') return (await firstValueFrom(client.upload(input.file))).value;
  const form = new FormData();
  form.append('image', new Blob([await readFile(input.file)]), path.basename(input.file));
  const response = await fetch(`${input.url}/upload/image`, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`POST /upload/image: HTTP ${response.status}`);
  return ((await response.json()) as { name: string }).name;
}

childMain<UploadChildInput, UploadChildResult>(async (input) => {
  const gc = exposedGc();
  const client = new ComfyClient({ url: input.url, requestTimeoutMs: 600_000 });
  gc();
  const sampler = sampleMemory(input.sampleEveryMs);
  let memory: MemoryGrowth | undefined;
  try {
    const started = performance.now();
    const value = await upload(input, client);
    const elapsedMs = performance.now() - started;
    memory = sampler.stop();
    let memoryHitMs: number | undefined;
    if (input.mode === 'dedupe') {
      const again = performance.now();
      const second = await upload(input, client);
      memoryHitMs = performance.now() - again;
      if (second !== value) throw new Error(`the second upload answered ${second}, the first ${value}`);
    }
    const { peakRssGrowth, maxRssGrowth, peakArrayBuffersGrowth, samples } = memory;
    return {
      elapsedMs,
      ...(memoryHitMs !== undefined ? { memoryHitMs } : {}),
      value,
      peakRssGrowth,
      maxRssGrowth,
      peakArrayBuffersGrowth,
      samples,
    };
  } finally {
    if (!memory) sampler.stop();
    client.close();
  }
});
