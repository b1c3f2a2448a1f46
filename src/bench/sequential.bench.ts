import { performance } from 'node:perf_hooks';
import { CLIENT_COLUMNS, clientData, clientRows, compareClients, peerNotes } from './clientComparison';
import { type BenchConfig, benchConfig } from './config';
import { type BenchResult, atMost } from './harness/report';
import { PEERS } from './sides';
import { fixed } from './harness/stats';

/** Target of case 1: ComfyClient at most 1.1x the baseline. */
export const SEQUENTIAL_TARGET_RATIO = 1.1;

/**
 * Case 1: sequential prompts on FakeComfyServer through ComfyClient vs the hand-written
 * baseline (full run: 20 rounds x 50 prompts = 1000 per side; the median round is compared).
 */
export async function sequentialBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { warmup, rounds, promptsPerRound } = config.sequential;
  const result = await compareClients({ mode: 'sequential', warmupRounds: warmup, rounds, prompts: promptsPerRound, warmupPrompts: promptsPerRound, peers: PEERS, peerTimeoutMs: config.peers.timeoutMs });
  const { baseline, ours } = result;
  return {
    id: 'sequential',
    title: `1. Sequential prompts: ${rounds} rounds x ${promptsPerRound} per side (${result.promptsPerSide} per side)`,
    columns: CLIENT_COLUMNS,
    rows: clientRows(result),
    verdicts: [atMost('ratio ComfyClient / baseline', result.ratio, SEQUENTIAL_TARGET_RATIO, 'x')],
    notes: [
      'phase columns are medians over all prompts (ms); the fake runs in this process, so its CPU is in every column',
      `ComfyClient minus baseline, per prompt: call->queued ${fixed(ours.phases.submitMs - baseline.phases.submitMs, 3)} ms, finished->done ${fixed(ours.phases.finishToDoneMs - baseline.phases.finishToDoneMs, 3)} ms`,
      ...peerNotes(result),
    ],
    checksum: result.checksum,
    data: clientData(result),
    elapsedMs: performance.now() - started,
  };
}
