import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { FakeComfyServer } from '../testing';
import type { UploadChildInput, UploadChildResult } from './children/upload.child';
import { type BenchConfig, benchConfig } from './config';
import { runChild } from './harness/childProcess';
import { type BenchResult, atMost } from './harness/report';
import { fixed, max, median, mib, times } from './harness/stats';

/** Target of the upload case: peak RSS growth of a streamed upload under 50 MiB, whatever the file's size. */
export const UPLOAD_TARGET_BYTES = 50 * 2 ** 20;

/** Writes `size` bytes of a cheap, non-repeating pattern (a `seed` changes every block: distinct content). */
async function writeFile(file: string, size: number, seed: number): Promise<void> {
  const out = createWriteStream(file);
  const block = Buffer.alloc(1 << 20);
  for (let written = 0, n = 0; written < size; n++) {
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761 + n * 40503 + seed) >>> 0, i);
    const chunk = block.subarray(0, Math.min(block.length, size - written));
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The upload case: one big file uploaded from a fresh child process per round (so the RSS it
 * samples is that upload's alone), to a fake in this process whose body limit fits it: plain
 * `readFile` + `FormData` + `fetch` (baseline) vs `comfy.upload` streamed (`dedupe: false`), sides
 * alternating; then the content-addressed path on a fresh fake each round (hash + `HEAD /view`
 * 404 + upload), a dedupe hit from another process (hash + `HEAD` 200, nothing sent) and from the
 * same client's memory. The verdict uses the worst round of the streamed upload.
 */
export async function uploadBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { sizeBytes, rounds, sampleEveryMs, crossProcessHit } = config.upload;
  const dir = await mkdtemp(path.join(tmpdir(), 'comfyui-rx-bench-upload-'));
  const script = path.join(__dirname, 'children', 'upload.child.ts');
  const runs = new Map<string, UploadChildResult[]>();
  const record = (key: string, result: UploadChildResult) => runs.set(key, [...(runs.get(key) ?? []), result]);
  const maxUploadBytes = sizeBytes + 2 ** 20;
  const file = path.join(dir, 'big.bin');
  await writeFile(file, sizeBytes, 1);
  const fake = await FakeComfyServer.start({ maxUploadBytes });
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const)) {
        record(mode, await runChild<UploadChildResult>(script, { url: fake.url, mode, file, sampleEveryMs } satisfies UploadChildInput));
      }
    }
  } finally {
    await fake.stop();
  }
  for (let round = 0; round < rounds; round++) {
    const fresh = await FakeComfyServer.start({ maxUploadBytes }); // a server without the file: the miss
    try {
      const input: UploadChildInput = { url: fresh.url, mode: 'dedupe', file, sampleEveryMs };
      record('dedupe-miss', await runChild<UploadChildResult>(script, input));
      if (crossProcessHit) record('dedupe-hit', await runChild<UploadChildResult>(script, input)); // another process: hashes, asks, sends nothing
      if (fresh.listFiles('input').length !== 1) throw new Error('the dedupe hit stored a second file');
    } finally {
      await fresh.stop();
    }
  }
  await rm(dir, { recursive: true, force: true });

  const of = (key: string) => runs.get(key) ?? [];
  const ms = (key: string) => median(of(key).map((r) => r.elapsedMs));
  const peak = (key: string) => median(of(key).map((r) => r.peakRssGrowth));
  const worst = (key: string) => max(of(key).map((r) => r.peakRssGrowth));
  const buffers = (key: string) => max(of(key).map((r) => r.peakArrayBuffersGrowth));
  const base = ms('baseline');
  const row = (name: string, key: string): string[] => [name, fixed(ms(key), 0), fixed(sizeBytes / 2 ** 20 / (ms(key) / 1000), 0), times(ms(key) / base), mib(peak(key)), mib(worst(key)), mib(buffers(key))];
  const memoryHit = median(of('dedupe-miss').map((r) => r.memoryHitMs ?? NaN));
  const all = [...runs.values()].flat();
  return {
    id: 'upload',
    title: `Upload of a ${mib(sizeBytes)} input, ${rounds} rounds per side, a child process per upload`,
    columns: ['side', 'ms', 'MiB/s', 'time ratio', 'peak RSS growth', 'worst round', 'arrayBuffers growth'],
    rows: [
      row('baseline (readFile + FormData + fetch)', 'baseline'),
      row('comfy.upload, dedupe: false', 'ours'),
      row('comfy.upload, dedupe miss (hash + HEAD 404 + upload)', 'dedupe-miss'),
      ...(crossProcessHit ? [row('comfy.upload, dedupe hit (hash + HEAD 200)', 'dedupe-hit')] : []),
    ],
    verdicts: [atMost('peak RSS growth of comfy.upload (worst round)', worst('ours') / 2 ** 20, UPLOAD_TARGET_BYTES / 2 ** 20, ' MiB')],
    notes: [
      `a dedupe hit from the same client's memory: ${fixed(memoryHit, 3)} ms (no hashing, no request)`,
      ...(crossProcessHit ? [`a dedupe hit from another process costs the hashing of the file and one HEAD: ${fixed(ms('dedupe-hit'), 0)} ms, ${times(ms('dedupe-hit') / ms('ours'))} the streamed upload`] : []),
      `RSS sampled every ${sampleEveryMs} ms; the fake receiving the file runs in this (parent) process`,
    ],
    checksum: all.length,
    data: {
      baselineMs: base,
      oursMs: ms('ours'),
      dedupeMissMs: ms('dedupe-miss'),
      dedupeHitMs: crossProcessHit ? ms('dedupe-hit') : NaN,
      memoryHitMs: memoryHit,
      baselinePeakRssGrowth: peak('baseline'),
      oursPeakRssGrowth: peak('ours'),
      oursWorstPeakRssGrowth: worst('ours'),
      baselineWorstPeakRssGrowth: worst('baseline'),
      dedupeMissWorstPeakRssGrowth: worst('dedupe-miss'),
      sizeBytes,
      uploads: all.length,
    },
    elapsedMs: performance.now() - started,
  };
}
