import { compareRounds } from './harness/compare';
import { type FakeRound, type PhaseMedians, type PromptTimes, openFakeRound, phaseMedians } from './fakeRound';
import { fixed, min, times } from './harness/stats';
import type { FakeComfyServerOptions } from '../testing';
import type { PeerDefinition } from './peers/peerClient';
import { BASELINE, OURS, TIMED_OUT, atOnce, baselinePrompt, inSequence, oursPrompt, peerPrompt } from './sides';
import { colors, twoNodeImage } from './workloads';

/** How cases 1 and 2 submit their prompts. */
export interface ClientComparisonOptions {
  readonly mode: 'sequential' | 'concurrent';
  readonly warmupRounds: number;
  readonly rounds: number;
  /** Prompts per side per recorded round. */
  readonly prompts: number;
  /** Prompts per side per warm-up round. */
  readonly warmupPrompts: number;
  /** Peer libraries run beside them on the same fake and workload (none by default). */
  readonly peers?: readonly PeerDefinition[];
  /** A peer's prompt not done after this long counts as hung; the peer then drops out. */
  readonly peerTimeoutMs?: number;
  /** The fake's simulated time per node (0 by default). */
  readonly nodeLatencyMs?: number;
}

/** Why a peer has no timing: it hung (prompts not done in time) or failed (an error). */
export interface PeerTrouble {
  readonly kind: 'hung' | 'failed';
  /** Round (0-based, warm-up included) where it happened. */
  readonly round: number;
  /** Prompts of that round not done, of `submitted`. */
  readonly unfinished: number;
  readonly submitted: number;
  /** Of the unfinished ones, how many the fake had already finished (the client missed their end). */
  readonly finishedOnFake: number;
  readonly timeoutMs: number;
  readonly message?: string;
}

/** What one side did over the recorded rounds. */
export interface SideSummary {
  readonly name: string;
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
  readonly msPerPrompt: number;
  readonly bestMsPerPrompt: number;
  readonly httpPerPrompt: number;
  readonly phases: PhaseMedians;
  /** Set when a peer hung or failed: its timings are then left out. */
  readonly trouble?: PeerTrouble;
}

/** Both sides, baseline first, the peers, and the checksum. */
export interface ClientComparison {
  readonly baseline: SideSummary;
  readonly ours: SideSummary;
  readonly peers: readonly SideSummary[];
  readonly ratio: number;
  /** Output nodes of every prompt that finished, all sides (warm-up included). */
  readonly checksum: number;
  /** The peers' part of `checksum`. */
  readonly peersChecksum: number;
  readonly promptsPerSide: number;
}

interface Round {
  readonly index: number;
  readonly fake: FakeRound;
}

/** Per-prompt bound of a peer when none is given. */
const DEFAULT_PEER_TIMEOUT_MS = 20_000;

/**
 * ComfyClient vs the baseline (and the given peers) on the same fresh fake each round (no round
 * inherits the history and files of the previous ones), in the same process, alternating which
 * side goes first. Timings, HTTP calls and phases cover recorded rounds only. A peer whose prompt
 * is not done within `peerTimeoutMs` is reported as hung and not run again (nothing waits forever).
 */
export async function compareClients(options: ClientComparisonOptions): Promise<ClientComparison> {
  const { mode, warmupRounds, rounds, prompts, warmupPrompts, peers = [], nodeLatencyMs = 0 } = options;
  const peerTimeoutMs = options.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
  const color = colors();
  const workflow = () => twoNodeImage(color());
  const submit = mode === 'sequential' ? inSequence : atOnce;
  const requests = new Map<string, number>();
  const timesBySide = new Map<string, PromptTimes[]>([BASELINE, OURS, ...peers.map((p) => p.name)].map((name) => [name, []]));
  const troubles = new Map<string, PeerTrouble>();
  /** Errors peers threw from their listeners, by peer; the peer whose turn it is, the last one that had a turn, the round. */
  const stray = new Map<string, Error>();
  let current: string | undefined;
  let lastPeer: string | undefined;
  let roundIndex = 0;
  let peersChecksum = 0;
  const recorded = (round: Round) => round.index >= warmupRounds;
  const count = (round: Round) => (recorded(round) ? prompts : warmupPrompts);
  const countRequests = async (name: string, round: Round, work: () => Promise<number>) => {
    const before = round.fake.fake.stats.httpRequests;
    const checksum = await work();
    if (recorded(round)) requests.set(name, (requests.get(name) ?? 0) + round.fake.fake.stats.httpRequests - before);
    return checksum;
  };

  const side = (name: string, runner: typeof baselinePrompt) => ({
    name,
    run: (round: Round) => countRequests(name, round, () => submit(runner, round.fake, count(round), workflow)),
  });

  const peerSide = (peer: PeerDefinition) => {
    const runner = peerPrompt(peer.name, peerTimeoutMs);
    const settle = (round: Round, wf: ReturnType<typeof workflow>) =>
      runner(round.fake, wf).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    return {
      name: peer.name,
      active: () => !troubles.has(peer.name),
      run: (round: Round) =>
        countRequests(peer.name, round, async () => {
          const submitted = count(round);
          const results: (number | typeof TIMED_OUT | Error)[] = [];
          stray.delete(peer.name);
          current = lastPeer = peer.name;
          try {
            if (mode === 'sequential') {
              for (let i = 0; i < submitted && !stray.has(peer.name); i++) {
                const result = await settle(round, workflow());
                results.push(result);
                if (typeof result !== 'number') break;
              }
            } else {
              results.push(...(await Promise.all(Array.from({ length: submitted }, () => settle(round, workflow())))));
            }
          } finally {
            current = undefined;
          }
          const uncaught = stray.get(peer.name);
          const done = results.filter((r): r is number => typeof r === 'number');
          if (done.length < submitted || uncaught) {
            const error = uncaught ?? results.find((r): r is Error => r instanceof Error);
            const { queued, finished } = round.fake.clock.unnoted();
            troubles.set(peer.name, {
              kind: error ? 'failed' : 'hung',
              round: round.index,
              unfinished: submitted - done.length,
              submitted,
              finishedOnFake: Math.min(finished, queued, submitted - done.length),
              timeoutMs: peerTimeoutMs,
              message: error?.message,
            });
            await round.fake.peers.get(peer.name)?.close(); // stop its listeners and polling now
          }
          const outputs = done.reduce((sum, n) => sum + n, 0);
          peersChecksum += outputs;
          return outputs;
        }),
    };
  };

  const fakeOptions: FakeComfyServerOptions = { nodeLatencyMs };
  // A peer may throw from one of its listeners, outside its promises (its polling, under 1,000 prompts at once): that is
  // the failure of the peer whose turn it is (else of the last one that ran: its work in the background), not the bench's end.
  const onUncaught = (error: unknown) => {
    const culprit = current ?? lastPeer;
    if (!culprit) throw error;
    if (!stray.has(culprit)) stray.set(culprit, new Error(`threw from a listener: ${error instanceof Error ? error.message : String(error)}`));
    if (!current && !troubles.has(culprit)) {
      troubles.set(culprit, { kind: 'failed', round: roundIndex, unfinished: 0, submitted: 0, finishedOnFake: 0, timeoutMs: peerTimeoutMs, message: stray.get(culprit)!.message });
    }
  };
  process.on('uncaughtException', onUncaught);
  let comparison;
  try {
    comparison = await compareRounds<Round>([side(BASELINE, baselinePrompt), side(OURS, oursPrompt), ...peers.map(peerSide)], {
      warmup: warmupRounds,
      rounds,
      setup: async (index) => ({ index: (roundIndex = index), fake: await openFakeRound(workflow, fakeOptions, peers.filter((p) => !troubles.has(p.name)), peerTimeoutMs) }),
      teardown: async (round) => {
        for (const [name, list] of timesBySide) {
          const taken = round.fake.clock.take(name);
          if (recorded(round)) list.push(...taken);
        }
        await round.fake.close();
      },
    });
  } finally {
    process.off('uncaughtException', onUncaught);
  }

  const promptsPerSide = rounds * prompts;
  const summary = (index: number): SideSummary => {
    const c = comparison.cases[index];
    if (!c) throw new Error('missing case');
    const trouble = troubles.get(c.name);
    const samplesMs = trouble ? [] : c.samplesMs;
    const medianMs = trouble ? Number.NaN : c.medianMs;
    return {
      name: c.name,
      samplesMs,
      medianMs,
      msPerPrompt: medianMs / prompts,
      bestMsPerPrompt: trouble ? Number.NaN : min(samplesMs) / prompts,
      httpPerPrompt: trouble ? Number.NaN : (requests.get(c.name) ?? 0) / promptsPerSide,
      phases: trouble ? { submitMs: Number.NaN, serverMs: Number.NaN, finishToDoneMs: Number.NaN } : phaseMedians(timesBySide.get(c.name) ?? []),
      ...(trouble ? { trouble } : {}),
    };
  };
  const baseline = summary(0);
  const ours = summary(1);
  return { baseline, ours, peers: peers.map((_, i) => summary(2 + i)), ratio: ours.medianMs / baseline.medianMs, checksum: comparison.checksum, peersChecksum, promptsPerSide };
}

/** Notes on the peers: the per-prompt bound, and each peer that hung or failed. */
export function peerNotes(result: ClientComparison): string[] {
  if (!result.peers.length) return [];
  const troubled = result.peers.flatMap((peer) => (peer.trouble ? [troubleNote(peer.name, peer.trouble)] : []));
  return [`peers (devDependencies) run on the same fake and workload; ratio is against the baseline`, ...troubled];
}

/** One line on a peer that hung or failed. */
export function troubleNote(name: string, trouble: PeerTrouble): string {
  const what =
    trouble.kind === 'hung'
      ? `HANGS: ${trouble.unfinished} of ${trouble.submitted} prompts not done after ${trouble.timeoutMs} ms in round ${trouble.round}, ${trouble.finishedOnFake} of them already finished on the fake (the client missed their end)`
      : `FAILED in round ${trouble.round}: ${trouble.message ?? 'unknown error'}`;
  return `${name}: ${what}; left out of the later rounds`;
}

/** Table columns of a {@link ClientComparison}. */
export const CLIENT_COLUMNS = ['side', 'ms/round', 'ms/prompt', 'best ms/prompt', 'ratio', 'HTTP/prompt', 'call->queued', 'queued->finished', 'finished->done'];

/** Table rows of a {@link ClientComparison} (phase columns: medians over every prompt, ms). */
export function clientRows(result: ClientComparison): string[][] {
  return [result.baseline, result.ours, ...result.peers].map((s) => {
    if (s.trouble) return [s.name, s.trouble.kind === 'hung' ? 'hangs' : 'fails', ...CLIENT_COLUMNS.slice(2).map(() => '')];
    return [
      s.name,
      fixed(s.medianMs, 1),
      fixed(s.msPerPrompt, 3),
      fixed(s.bestMsPerPrompt, 3),
      times(s.medianMs / result.baseline.medianMs),
      fixed(s.httpPerPrompt, 2),
      fixed(s.phases.submitMs, 3),
      fixed(s.phases.serverMs, 3),
      fixed(s.phases.finishToDoneMs, 3),
    ];
  });
}

/** Raw numbers of a {@link ClientComparison} for `BenchResult.data`. */
export function clientData(result: ClientComparison): Record<string, number> {
  const { baseline, ours } = result;
  return {
    ratio: result.ratio,
    promptsPerSide: result.promptsPerSide,
    peersChecksum: result.peersChecksum,
    baselineMsPerPrompt: baseline.msPerPrompt,
    oursMsPerPrompt: ours.msPerPrompt,
    baselineHttpPerPrompt: baseline.httpPerPrompt,
    oursHttpPerPrompt: ours.httpPerPrompt,
    baselineSubmitMs: baseline.phases.submitMs,
    oursSubmitMs: ours.phases.submitMs,
    baselineServerMs: baseline.phases.serverMs,
    oursServerMs: ours.phases.serverMs,
    baselineFinishToDoneMs: baseline.phases.finishToDoneMs,
    oursFinishToDoneMs: ours.phases.finishToDoneMs,
    ...Object.fromEntries(
      result.peers.flatMap((peer, i) => [
        [`peer${i}MsPerPrompt`, peer.msPerPrompt],
        [`peer${i}Ratio`, peer.medianMs / baseline.medianMs],
        [`peer${i}HttpPerPrompt`, peer.httpPerPrompt],
        [`peer${i}Hung`, peer.trouble?.kind === 'hung' ? 1 : 0],
        [`peer${i}Failed`, peer.trouble?.kind === 'failed' ? 1 : 0],
      ]),
    ),
  };
}
