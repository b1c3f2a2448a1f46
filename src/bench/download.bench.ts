import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeComfyServer } from '../testing';
import type { DownloadChildInput, DownloadChildResult } from './children/download.child';
import { type BenchConfig, benchConfig } from './config';
import { runChild } from './harness/childProcess';
import { type BenchResult, atMost } from './harness/report';
import { fixed, max, median, mib, times } from './harness/stats';

/** Target of case 5: peak RSS growth of a download under 50 MiB, whatever the file's size. */
export const DOWNLOAD_TARGET_BYTES = 50 * 2 ** 20;

type Mode = DownloadChildInput['mode'];

interface Summary {
  readonly ms: number;
  readonly peak: number;
  readonly worst: number;
  readonly maxRss: number;
  readonly heapTotal: number;
  readonly arrayBuffers: number;
}

/**
 * Case 5: one big output (`fake.addFile(ref, { sizeBytes })`, streamed by the fake) downloaded in
 * a fresh child process per round, so the RSS it samples is that download's alone: `saveOutputs`
 * (ComfyHttp.view -> temp file -> rename) vs plain `fetch` + `pipeline` into a file. Sides
 * alternate; the verdict uses the worst round of ours. One more round per side downloads a file a
 * quarter of the size: if anything held the download in memory, its growth would be 4x smaller.
 */
export async function downloadBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { sizeBytes, rounds, sampleEveryMs, sizeCheck } = config.download;
  const smallBytes = Math.round(sizeBytes / 4);
  const fake = await FakeComfyServer.start();
  const dir = await mkdtemp(path.join(tmpdir(), 'comfyui-rx-bench-'));
  const runs = new Map<string, DownloadChildResult[]>();
  const script = path.join(__dirname, 'children', 'download.child.ts');
  const once = async (mode: Mode, filename: string, bytes: number) => {
    const input: DownloadChildInput = { url: fake.url, mode, dir: path.join(dir, mode), filename, sizeBytes: bytes, sampleEveryMs };
    const result = await runChild<DownloadChildResult>(script, input);
    const key = `${mode}:${bytes}`;
    runs.set(key, [...(runs.get(key) ?? []), result]);
  };
  try {
    fake.addFile({ filename: 'big.bin' }, { sizeBytes });
    if (sizeCheck) fake.addFile({ filename: 'quarter.bin' }, { sizeBytes: smallBytes });
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const)) await once(mode, 'big.bin', sizeBytes);
    }
    if (sizeCheck) for (const mode of ['baseline', 'ours'] as const) await once(mode, 'quarter.bin', smallBytes);
  } finally {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const summary = (mode: Mode, bytes: number): Summary => {
    const list = runs.get(`${mode}:${bytes}`) ?? [];
    return {
      ms: median(list.map((r) => r.elapsedMs)),
      peak: median(list.map((r) => r.peakRssGrowth)),
      worst: max(list.map((r) => r.peakRssGrowth)),
      maxRss: max(list.map((r) => r.maxRssGrowth)),
      heapTotal: max(list.map((r) => r.peakHeapTotalGrowth)),
      arrayBuffers: max(list.map((r) => r.peakArrayBuffersGrowth)),
    };
  };
  const base = summary('baseline', sizeBytes);
  const ours = summary('ours', sizeBytes);
  const baseSmall = sizeCheck ? summary('baseline', smallBytes) : undefined;
  const oursSmall = sizeCheck ? summary('ours', smallBytes) : undefined;
  const row = (name: string, bytes: number, s: Summary, reference: Summary) => [
    name,
    mib(bytes),
    fixed(s.ms, 0),
    fixed(bytes / 2 ** 20 / (s.ms / 1000), 0),
    times(s.ms / reference.ms),
    mib(s.peak),
    mib(s.worst),
    mib(s.maxRss),
    mib(s.heapTotal),
    mib(s.arrayBuffers),
  ];
  const all = [...runs.values()].flat();
  return {
    id: 'download',
    title: `5. Download of a ${mib(sizeBytes)} output, ${rounds} rounds per side, a child process per download`,
    columns: ['side', 'file', 'ms', 'MiB/s', 'time ratio', 'peak RSS growth', 'worst round', 'maxRSS growth (kernel)', 'heapTotal growth', 'arrayBuffers growth'],
    rows: [
      row('baseline (fetch + pipeline)', sizeBytes, base, base),
      row('saveOutputs', sizeBytes, ours, base),
      ...(baseSmall && oursSmall ? [row('baseline (fetch + pipeline)', smallBytes, baseSmall, baseSmall), row('saveOutputs', smallBytes, oursSmall, baseSmall)] : []),
    ],
    verdicts: [atMost('peak RSS growth of saveOutputs (worst round)', ours.worst / 2 ** 20, DOWNLOAD_TARGET_BYTES / 2 ** 20, ' MiB')],
    notes: [
      `RSS sampled every ${sampleEveryMs} ms; the fake serving the file runs in this (parent) process`,
      ...(baseSmall && oursSmall
        ? [`growth at ${mib(smallBytes)} vs ${mib(sizeBytes)}: ours ${mib(oursSmall.worst)} vs ${mib(ours.worst)}, baseline ${mib(baseSmall.worst)} vs ${mib(base.worst)} (a download held in memory would scale with the size)`]
        : []),
    ],
    checksum: all.reduce((sum, r) => sum + r.bytes, 0),
    data: {
      baselineMs: base.ms,
      oursMs: ours.ms,
      baselinePeakRssGrowth: base.peak,
      oursPeakRssGrowth: ours.peak,
      oursWorstPeakRssGrowth: ours.worst,
      baselineWorstPeakRssGrowth: base.worst,
      oursMaxRssGrowth: ours.maxRss,
      oursHeapTotalGrowth: ours.heapTotal,
      oursArrayBuffersGrowth: ours.arrayBuffers,
      baselineArrayBuffersGrowth: base.arrayBuffers,
      oursSmallWorstPeakRssGrowth: oursSmall?.worst ?? NaN,
      baselineSmallWorstPeakRssGrowth: baseSmall?.worst ?? NaN,
      sizeBytes,
      smallBytes,
      downloads: all.length,
    },
    elapsedMs: performance.now() - started,
  };
}
