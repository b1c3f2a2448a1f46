import { performance } from 'node:perf_hooks';
import { CLIENT_COLUMNS, clientData, clientRows, compareClients, peerNotes } from './clientComparison';
import { type BenchConfig, benchConfig } from './config';
import { type BenchResult, atMost } from './harness/report';
import { PEERS } from './sides';

/** Target of case 2: ComfyClient at most 1.1x the baseline. */
export const CONCURRENT_TARGET_RATIO = 1.1;

/**
 * Case 2: `prompts` submitted at once (one socket, every prompt in flight together), ComfyClient
 * vs the baseline; the makespan of the median round is compared. Rounds are expensive (seconds),
 * so there are few of them.
 */
export async function concurrentBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { warmupPrompts, rounds, prompts } = config.concurrent;
  const result = await compareClients({ mode: 'concurrent', warmupRounds: 1, rounds, prompts, warmupPrompts, peers: PEERS, peerTimeoutMs: config.peers.timeoutMs });
  return {
    id: 'concurrent',
    title: `2. ${prompts} prompts submitted at once, ${rounds} rounds per side (makespan)`,
    columns: CLIENT_COLUMNS,
    rows: clientRows(result),
    verdicts: [atMost('ratio ComfyClient / baseline', result.ratio, CONCURRENT_TARGET_RATIO, 'x')],
    notes: [
      'queued->finished includes the wait in the fake\'s queue; finished->done is how long a finished prompt waits for its outputs while the others run',
      ...peerNotes(result),
    ],
    checksum: result.checksum,
    data: clientData(result),
    elapsedMs: performance.now() - started,
  };
}
