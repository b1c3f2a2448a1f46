import { performance } from 'node:perf_hooks';
import { CLIENT_COLUMNS, type ClientComparison, clientData, clientRows, compareClients, peerNotes } from './clientComparison';
import { type BenchConfig, benchConfig } from './config';
import type { BenchResult } from './harness/report';
import { PEERS } from './sides';

/**
 * The peers again, with `nodeLatencyMs` per node on the fake: a prompt's events then come after
 * its POST answer, so a peer that hangs at zero latency (it subscribes to a prompt's events only
 * once the POST is answered) can finish. Every side runs on the same fakes: sequential rounds,
 * then `concurrentPrompts` submitted at once; ratios against the baseline of the same run.
 */
export async function peersBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { nodeLatencyMs, warmup, rounds, promptsPerRound, concurrentPrompts, timeoutMs } = config.peers;
  const common = { peers: PEERS, peerTimeoutMs: timeoutMs, nodeLatencyMs };
  const sequential = await compareClients({ mode: 'sequential', warmupRounds: warmup, rounds, prompts: promptsPerRound, warmupPrompts: promptsPerRound, ...common });
  const concurrent = await compareClients({ mode: 'concurrent', warmupRounds: warmup, rounds, prompts: concurrentPrompts, warmupPrompts: concurrentPrompts, ...common });
  const tag = (label: string, result: ClientComparison) => clientRows(result).map((row) => [label, ...row]);
  const prefixed = (prefix: string, data: Record<string, number>) => Object.fromEntries(Object.entries(data).map(([key, value]) => [`${prefix}${key[0]?.toUpperCase()}${key.slice(1)}`, value]));
  return {
    id: 'peers',
    title: `Peers with ${nodeLatencyMs} ms per node: ${rounds} rounds x ${promptsPerRound} sequential, then ${rounds} rounds of ${concurrentPrompts} at once, per side`,
    columns: ['mode', ...CLIENT_COLUMNS],
    rows: [...tag('sequential', sequential), ...tag(`${concurrentPrompts} at once`, concurrent)],
    verdicts: [],
    notes: [
      `every prompt waits ${2 * nodeLatencyMs} ms on the fake (2 nodes), so ratios are smaller than at zero latency: compare the ms/prompt above the baseline`,
      ...peerNotes(sequential).map((note) => `sequential: ${note}`),
      ...peerNotes(concurrent).slice(1).map((note) => `at once: ${note}`),
    ],
    checksum: sequential.checksum + concurrent.checksum,
    data: { ...prefixed('seq', clientData(sequential)), ...prefixed('con', clientData(concurrent)) },
    elapsedMs: performance.now() - started,
  };
}
