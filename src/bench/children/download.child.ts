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
import { type MemoryGrowth, sampleMemory } from '../harness/sampleMemory';

/** What the parent sends. */
export interface DownloadChildInput {
  readonly url: string;
  readonly mode: 'ours' | 'baseline';
  readonly dir: string;
  readonly filename: string;
  readonly sizeBytes: number;
  readonly sampleEveryMs: number;
}

/** What the child answers (bytes, ms): the download and the memory it grew. */
export interface DownloadChildResult extends MemoryGrowth {
  readonly elapsedMs: number;
  readonly bytes: number;
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
  const sampler = sampleMemory(input.sampleEveryMs);
  let memory: MemoryGrowth | undefined;
  const started = performance.now();
  try {
    const bytes = await download(input, target);
    const elapsedMs = performance.now() - started;
    memory = sampler.stop();
    if (bytes !== input.sizeBytes) throw new Error(`downloaded ${bytes} bytes, expected ${input.sizeBytes}`);
    return { elapsedMs, bytes, ...memory };
  } finally {
    if (!memory) sampler.stop();
    await rm(target, { force: true });
  }
});
