import { attributionBench } from './attribution.bench';
import { codegenBench } from './codegen.bench';
import { componentsBench } from './components.bench';
import { concurrentBench } from './concurrent.bench';
import { convertBench } from './convert.bench';
import { benchConfig } from './config';
import { dispatchBench } from './dispatch.bench';
import { downloadBench } from './download.bench';
import { uploadBench } from './upload.bench';
import type { BenchResult } from './harness/report';
import { BENCHMARKS } from './benchmarks';
import { memoryBench } from './memory.bench';
import { peersBench } from './peers.bench';
import { poolBench } from './pool.bench';
import { pythonJsonBench } from './pythonJson.bench';
import { sequentialBench } from './sequential.bench';
import { validateBench } from './validate.bench';
import { v2Bench } from './v2.bench';
import { PEERS } from './sides';

/**
 * Runs the quick mode of every benchmark once so the bench code cannot rot silently: each must
 * finish, fill its table and report numbers that make sense (positive timings, exact counts).
 * Targets are not asserted: timings on a shared test machine are not evidence.
 */
const quick = benchConfig(true);
const SLOW_MS = 60_000;

const positive = (value: number | undefined) => {
  expect(value).toEqual(expect.any(Number));
  expect(Number.isFinite(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
};

/**
 * Each peer's row: timed (a positive ms/prompt, at least its POST per prompt) or reported as hung
 * or failed, with a note saying so; a peer is never silently missing. `prefix` picks a data set.
 */
function expectPeerRows(result: BenchResult, prefix = ''): void {
  const key = (name: string) => (prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  PEERS.forEach((peer, i) => {
    const row = result.rows.find((r) => r.includes(peer.name));
    expect(row).toBeDefined();
    const troubled = result.data[key(`peer${i}Hung`)]! + result.data[key(`peer${i}Failed`)]!;
    expect([0, 1]).toContain(troubled);
    if (troubled) {
      expect(row).toContain(result.data[key(`peer${i}Hung`)] ? 'hangs' : 'fails');
      expect(result.notes.some((note) => note.includes(peer.name) && /HANGS|FAILED/.test(note))).toBe(true);
    } else {
      positive(result.data[key(`peer${i}MsPerPrompt`)]);
      expect(result.data[key(`peer${i}HttpPerPrompt`)]).toBeGreaterThanOrEqual(1);
    }
  });
}

function expectWellFormed(result: BenchResult): void {
  expect(result.rows.length).toBeGreaterThan(0);
  for (const row of result.rows) expect(row).toHaveLength(result.columns.length);
  positive(result.elapsedMs);
  for (const verdict of result.verdicts) expect(verdict.met).toBe(verdict.value <= verdict.target);
}

describe('benchmarks (quick mode)', () => {
  it('the runner lists every benchmark once', () => {
    expect(BENCHMARKS.map((b) => b.id)).toEqual(['sequential', 'concurrent', 'dispatch', 'memory', 'download', 'upload', 'pool', 'attribution', 'components', 'validate', 'codegen', 'convert', 'embedded', 'queue', 'pythonJson', 'peers', 'v2']);
    expect(BENCHMARKS.map((b) => b.id)).toEqual(['sequential', 'concurrent', 'dispatch', 'memory', 'download', 'upload', 'pool', 'attribution', 'components', 'validate', 'codegen', 'convert', 'embedded', 'queue', 'pythonJson', 'peers', 'v2']);
  });

  it('sequential: both sides complete every prompt with 2 HTTP calls each (no history re-read)', async () => {
    const result = await sequentialBench(quick);
    expectWellFormed(result);
    const { warmup, rounds, promptsPerRound } = quick.sequential;
    expect(result.checksum - result.data.peersChecksum!).toBe(2 * (warmup + rounds) * promptsPerRound); // one output node per prompt
    expect(result.data.baselineHttpPerPrompt).toBe(2);
    expect(result.data.oursHttpPerPrompt).toBe(2);
    for (const key of ['baselineMsPerPrompt', 'oursMsPerPrompt', 'ratio', 'oursServerMs', 'oursFinishToDoneMs']) positive(result.data[key]);
    expect(result.rows).toHaveLength(2 + PEERS.length);
    expectPeerRows(result);
  }, SLOW_MS);

  it('concurrent: every prompt submitted at once completes on both sides', async () => {
    const result = await concurrentBench(quick);
    expectWellFormed(result);
    const { warmupPrompts, rounds, prompts } = quick.concurrent;
    expect(result.checksum - result.data.peersChecksum!).toBe(2 * (warmupPrompts + rounds * prompts));
    expect(result.data.oursHttpPerPrompt).toBe(2);
    positive(result.data.ratio);
    expect(result.rows).toHaveLength(2 + PEERS.length);
    expectPeerRows(result);
  }, SLOW_MS);

  it('dispatch: every in-flight level routes the same messages; costs are positive', async () => {
    const result = await dispatchBench(quick);
    expectWellFormed(result);
    const routed = quick.dispatch.inFlight.map((n) => result.data[`routed_${n}`]);
    positive(routed[0]);
    expect(new Set(routed).size).toBe(1);
    for (const n of quick.dispatch.inFlight) {
      positive(result.data[`jsonParseNs_${n}`]);
      positive(result.data[`oursNs_${n}`]);
    }
    expect(result.data.flatness).toBeGreaterThanOrEqual(1);
  }, SLOW_MS);

  it('memory: the child completes every prompt and reports its heap before and after GC', async () => {
    const result = await memoryBench(quick);
    expectWellFormed(result);
    expect(result.data.completed).toBe(quick.memory.prompts);
    positive(result.data.heapBefore);
    positive(result.data.heapAfter);
    expect(result.data.heapPeak).toBeGreaterThanOrEqual(result.data.heapAfter ?? Infinity);
  }, SLOW_MS);

  it('download: both sides write the whole file; RSS growth is measured', async () => {
    const result = await downloadBench(quick);
    expectWellFormed(result);
    expect(result.data.downloads).toBe(2 * quick.download.rounds);
    expect(result.checksum).toBe(result.data.downloads! * quick.download.sizeBytes);
    positive(result.data.oursMs);
    positive(result.data.baselineMs);
    positive(result.data.oursPeakRssGrowth);
  }, SLOW_MS);

  it('upload: every side uploads the whole file; the second upload of the same content answers from memory; RSS growth is measured', async () => {
    const result = await uploadBench(quick);
    expectWellFormed(result);
    expect(result.data.uploads).toBe(3 * quick.upload.rounds);
    for (const key of ['baselineMs', 'oursMs', 'dedupeMissMs', 'memoryHitMs']) positive(result.data[key]);
  }, SLOW_MS);

  it('pool: every prompt completes on the pool and on one server; the pool is not slower', async () => {
    const result = await poolBench(quick);
    expectWellFormed(result);
    expect(result.checksum).toBe(2 * quick.pool.rounds * quick.pool.prompts);
    for (const key of ['poolMakespanMs', 'singleMakespanMs', 'poolWorkMs', 'poolRatio', 'speedup']) positive(result.data[key]);
    expect(result.data.poolRatio).toBeGreaterThanOrEqual(0.9); // makespan cannot beat total work / servers by much
  }, SLOW_MS);

  it('attribution: the fake in its own process reports CPU; both sides make 2 HTTP calls per prompt', async () => {
    const result = await attributionBench(quick);
    expectWellFormed(result);
    for (const key of ['seqBaselineClientCpuMs', 'seqOursClientCpuMs', 'seqBaselineFakeCpuMs', 'conOursClientCpuMs']) positive(result.data[key]);
    expect(result.rows.map((row) => row[5])).toEqual(['2.00', '2.00', '2.00', '2.00']);
  }, SLOW_MS);

  it('components: every component costs something on both sides', async () => {
    const result = await componentsBench(quick);
    expectWellFormed(result);
    for (const key of ['httpBaselineUs', 'httpOursUs', 'parseBaselineUs', 'parseOursUs', 'lifeBaselineUs', 'lifeOursUs']) positive(result.data[key]);
  }, SLOW_MS);

  it('convert: the workflow converts to one entry per emitted node; both cases and both baselines are timed', async () => {
    const result = await convertBench(quick);
    expectWellFormed(result);
    expect(result.data.nodes).toBeGreaterThanOrEqual(200);
    for (const key of ['convertMs', 'convertRatio', 'lazyIndexMs', 'fullIndexMs', 'fullIndexRatio']) positive(result.data[key]);
  }, SLOW_MS);

  it('validate: every case validates the whole prompt (all outputs run, or one error per KSampler)', async () => {
    const result = await validateBench(quick);
    expectWellFormed(result);
    expect(result.data.nodes).toBe(105);
    for (const key of ['baselineMs', 'reusedIndexMs', 'rawObjectInfoMs', 'invalidMs']) positive(result.data[key]);
    // 7 rounds x (15 outputs + 15 outputs + 15 node errors) + 7 x 105 nodes of the baseline
    expect(result.checksum).toBe(7 * (15 * 3 + 105));
  });

  it('codegen: generates the 0.8.0 module and builds the same 1,000-node prompt on every side', async () => {
    const result = await codegenBench(quick);
    expectWellFormed(result);
    expect(result.data.classes).toBe(449);
    expect(result.rows).toHaveLength(7);
    for (const key of ['moduleBytes', 'stringifyMs', 'codegenMs', 'plainMs', 'builderUntypedMs', 'builderCheckedMs', 'builderValidatedMs', 'validateMs']) positive(result.data[key]);
  }, SLOW_MS);

  it('pythonJson: every case parses every text; ratios are positive', async () => {
    const result = await pythonJsonBench(quick);
    expectWellFormed(result);
    for (const key of ['hotPathRatio', 'noiseRatio', 'slowPathRatio', 'queueRatio', 'parseMessageRatio']) positive(result.data[key]);
  }, SLOW_MS);

  it('peers: with node latency on, every peer finishes its sequential prompts; each row is timed or reported', async () => {
    const result = await peersBench(quick);
    expectWellFormed(result);
    expect(result.rows).toHaveLength(2 * (2 + PEERS.length));
    PEERS.forEach((_, i) => {
      expect([result.data[`seqPeer${i}Hung`], result.data[`seqPeer${i}Failed`]]).toEqual([0, 0]);
      positive(result.data[`seqPeer${i}MsPerPrompt`]);
    });
    expectPeerRows(result, 'seq');
    expectPeerRows(result, 'con');
  }, SLOW_MS);

  it('v2: the native and the v2 side complete every prompt as succeeded; the SDK row is timed or reported as failing', async () => {
    const result = await v2Bench(quick);
    expectWellFormed(result);
    positive(result.data.nativeMsPerPrompt);
    positive(result.data.v2MsPerPrompt);
    expect(result.data.v2NotOk).toBe(0);
    expect(result.data.promptsPerSide).toBe(quick.v2.rounds * quick.v2.promptsPerRound);
    if (result.data.sdkFailed) expect(result.notes.some((note) => note.includes('@comfyorg/sdk') && note.includes('FAILED'))).toBe(true);
    else positive(result.data.sdkMsPerPrompt);
  }, SLOW_MS);
});
