import { performance } from 'node:perf_hooks';
import { median } from './stats';

/** One contender of a comparison. `run` does one round of work and returns a checksum. */
export interface RoundCase<Ctx> {
  readonly name: string;
  run(context: Ctx, round: number): Promise<number> | number;
  /** False once the case has dropped out (e.g. a client that hung): it is no longer run or timed. */
  active?(): boolean;
}

/** Options of {@link compareRounds}. */
export interface CompareOptions<Ctx> {
  /** Unrecorded rounds first (JIT warm-up). */
  readonly warmup: number;
  /** Recorded rounds; the order of the cases alternates from one round to the next. */
  readonly rounds: number;
  /** Fresh context per round (e.g. a new server), outside the timed section. */
  readonly setup: (round: number) => Promise<Ctx> | Ctx;
  readonly teardown?: (context: Ctx) => Promise<void> | void;
}

/** Samples (ms per round) of one case, in case order. */
export interface CaseSamples {
  readonly name: string;
  readonly samplesMs: number[];
  readonly medianMs: number;
  /** This process's CPU time (user + system) of each recorded round, ms: what wall time is on a quiet machine. */
  readonly cpuSamplesMs: number[];
  readonly cpuMedianMs: number;
}

/** What {@link compareRounds} measured. */
export interface Comparison {
  readonly cases: CaseSamples[];
  /** Sum of every run's checksum (warm-up included): printed so no work can be optimised away. */
  readonly checksum: number;
}

/**
 * Runs every case once per round, in alternating order (forward, then reversed), so drift and GC
 * hit each case alike; rounds after `warmup` are timed with `performance.now()`. Medians, not
 * means: GC pauses and a noisy machine make single rounds unreliable (docs/style.md §8).
 */
export async function compareRounds<Ctx>(cases: readonly RoundCase<Ctx>[], options: CompareOptions<Ctx>): Promise<Comparison> {
  const samples = cases.map(() => [] as number[]);
  const cpuSamples = cases.map(() => [] as number[]);
  let checksum = 0;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const recorded = round >= options.warmup;
    const context = await options.setup(round);
    try {
      const order = round % 2 ? [...cases.keys()].reverse() : [...cases.keys()];
      for (const index of order) {
        if ((cases[index] as RoundCase<Ctx>).active?.() === false) continue;
        const cpu = process.cpuUsage();
        const started = performance.now();
        checksum += await (cases[index] as RoundCase<Ctx>).run(context, round);
        const wallMs = performance.now() - started;
        const used = process.cpuUsage(cpu);
        if (recorded) {
          (samples[index] as number[]).push(wallMs);
          (cpuSamples[index] as number[]).push((used.user + used.system) / 1000);
        }
      }
    } finally {
      await options.teardown?.(context);
    }
  }
  return {
    cases: cases.map((c, i) => ({
      name: c.name,
      samplesMs: samples[i] as number[],
      medianMs: medianOrNaN(samples[i] as number[]),
      cpuSamplesMs: cpuSamples[i] as number[],
      cpuMedianMs: medianOrNaN(cpuSamples[i] as number[]),
    })),
    checksum,
  };
}

/** The median, or NaN for a case that dropped out before any recorded round. */
const medianOrNaN = (values: readonly number[]): number => (values.length ? median(values) : Number.NaN);
