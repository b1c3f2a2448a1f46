import { compareRounds } from './harness/compare';
import { type FakeRound, type PhaseMedians, type PromptTimes, openFakeRound, phaseMedians } from './fakeRound';
import { fixed, min, times } from './harness/stats';
import { BASELINE, OURS, atOnce, baselinePrompt, inSequence, oursPrompt } from './sides';
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
}

/** Both sides, baseline first, and the checksum. */
export interface ClientComparison {
  readonly baseline: SideSummary;
  readonly ours: SideSummary;
  readonly ratio: number;
  readonly checksum: number;
  readonly promptsPerSide: number;
}

interface Round {
  readonly index: number;
  readonly fake: FakeRound;
}

/**
 * ComfyClient vs the baseline on the same fresh fake each round (no round inherits the history
 * and files of the previous ones), in the same process, alternating which side goes first. Timings, HTTP calls and phases cover recorded
 * rounds only.
 */
export async function compareClients(options: ClientComparisonOptions): Promise<ClientComparison> {
  const { mode, warmupRounds, rounds, prompts, warmupPrompts } = options;
  const color = colors();
  const workflow = () => twoNodeImage(color());
  const submit = mode === 'sequential' ? inSequence : atOnce;
  const requests = new Map<string, number>();
  const timesBySide = new Map<string, PromptTimes[]>([
    [BASELINE, []],
    [OURS, []],
  ]);
  const recorded = (round: Round) => round.index >= warmupRounds;

  const side = (name: string, runner: typeof baselinePrompt) => ({
    name,
    run: async (round: Round) => {
      const before = round.fake.fake.stats.httpRequests;
      const checksum = await submit(runner, round.fake, recorded(round) ? prompts : warmupPrompts, workflow);
      if (recorded(round)) requests.set(name, (requests.get(name) ?? 0) + round.fake.fake.stats.httpRequests - before);
      return checksum;
    },
  });

  const comparison = await compareRounds<Round>([side(BASELINE, baselinePrompt), side(OURS, oursPrompt)], {
    warmup: warmupRounds,
    rounds,
    setup: async (index) => ({ index, fake: await openFakeRound(workflow) }),
    teardown: async (round) => {
      for (const [name, list] of timesBySide) {
        const taken = round.fake.clock.take(name);
        if (recorded(round)) list.push(...taken);
      }
      await round.fake.close();
    },
  });

  const promptsPerSide = rounds * prompts;
  const summary = (index: 0 | 1): SideSummary => {
    const c = comparison.cases[index];
    if (!c) throw new Error('missing case');
    return {
      name: c.name,
      samplesMs: c.samplesMs,
      medianMs: c.medianMs,
      msPerPrompt: c.medianMs / prompts,
      bestMsPerPrompt: min(c.samplesMs) / prompts,
      httpPerPrompt: (requests.get(c.name) ?? 0) / promptsPerSide,
      phases: phaseMedians(timesBySide.get(c.name) ?? []),
    };
  };
  const baseline = summary(0);
  const ours = summary(1);
  return { baseline, ours, ratio: ours.medianMs / baseline.medianMs, checksum: comparison.checksum, promptsPerSide };
}

/** Table columns of a {@link ClientComparison}. */
export const CLIENT_COLUMNS = ['side', 'ms/round', 'ms/prompt', 'best ms/prompt', 'ratio', 'HTTP/prompt', 'call->queued', 'queued->finished', 'finished->done'];

/** Table rows of a {@link ClientComparison} (phase columns: medians over every prompt, ms). */
export function clientRows(result: ClientComparison): string[][] {
  return [result.baseline, result.ours].map((s) => [
    s.name,
    fixed(s.medianMs, 1),
    fixed(s.msPerPrompt, 3),
    fixed(s.bestMsPerPrompt, 3),
    times(s.medianMs / result.baseline.medianMs),
    fixed(s.httpPerPrompt, 2),
    fixed(s.phases.submitMs, 3),
    fixed(s.phases.serverMs, 3),
    fixed(s.phases.finishToDoneMs, 3),
  ]);
}

/** Raw numbers of a {@link ClientComparison} for `BenchResult.data`. */
export function clientData(result: ClientComparison): Record<string, number> {
  const { baseline, ours } = result;
  return {
    ratio: result.ratio,
    promptsPerSide: result.promptsPerSide,
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
  };
}
