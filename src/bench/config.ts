/** Sizes of every benchmark: the full run (`npm run bench`) and the quick one (`BENCH_QUICK=1`, tests). */
export interface BenchConfig {
  readonly quick: boolean;
  /** Case 1: `rounds` x `promptsPerRound` sequential prompts per side (full: 20 x 50 = 1000). */
  readonly sequential: { readonly warmup: number; readonly rounds: number; readonly promptsPerRound: number };
  /** Case 2: `prompts` submitted at once, `rounds` times per side. */
  readonly concurrent: { readonly warmupPrompts: number; readonly rounds: number; readonly prompts: number };
  /** Case 3: prompts attached to the router; frames per round. */
  readonly dispatch: { readonly warmup: number; readonly rounds: number; readonly inFlight: readonly number[]; readonly framesPerRound: number };
  /** Case 4: prompts run in the child after `warmupPrompts`, `concurrency` at a time. */
  readonly memory: { readonly warmupPrompts: number; readonly prompts: number; readonly concurrency: number };
  /** Case 5: size of the file downloaded, rounds per side; `sizeCheck` adds a round per side at a quarter of the size. */
  readonly download: { readonly sizeBytes: number; readonly rounds: number; readonly sampleEveryMs: number; readonly sizeCheck: boolean };
  /** Upload: size of the file uploaded, rounds per side; `crossProcessHit` adds the dedupe hit from another process. */
  readonly upload: { readonly sizeBytes: number; readonly rounds: number; readonly sampleEveryMs: number; readonly crossProcessHit: boolean };
  /** Case 6: servers, prompts, simulated latency per node (3-node workflow), rounds. */
  readonly pool: { readonly servers: number; readonly prompts: number; readonly nodeLatencyMs: number; readonly rounds: number };
  /** Where the time goes: the fake in its own process, sequential prompts per side per round. */
  readonly attribution: { readonly rounds: number; readonly promptsPerRound: number; readonly concurrentPrompts: number };
  /**
   * Peer libraries: their per-prompt bound in cases 1-2 (a prompt not done by then is a hang), and
   * a run of every side with `nodeLatencyMs` per node, so that a peer which misses events that
   * beat the POST answer can finish (sequential rounds, then `concurrentPrompts` at once).
   */
  /** Native vs v2 surface of one fake, and @comfyorg/sdk: sequential prompts per side per round (the SDK's own count: it polls every 500 ms). */
  readonly v2: { readonly warmup: number; readonly rounds: number; readonly promptsPerRound: number; readonly sdkPromptsPerRound: number; readonly nodeLatencyMs: number };
  readonly peers: { readonly timeoutMs: number; readonly nodeLatencyMs: number; readonly warmup: number; readonly rounds: number; readonly promptsPerRound: number; readonly concurrentPrompts: number };
  /** The real-server mode (`COMFYUI_URL`): sequential prompts per side per round, and the bound of one prompt. */
  readonly realServer: { readonly rounds: number; readonly promptsPerRound: number; readonly warmupPromptsPerTurn: number; readonly timeoutMs: number };
}

const FULL: BenchConfig = {
  quick: false,
  sequential: { warmup: 2, rounds: 20, promptsPerRound: 50 },
  concurrent: { warmupPrompts: 100, rounds: 3, prompts: 1000 },
  dispatch: { warmup: 5, rounds: 21, inFlight: [1, 100, 10_000], framesPerRound: 20_000 },
  memory: { warmupPrompts: 200, prompts: 10_000, concurrency: 8 },
  download: { sizeBytes: 200 * 2 ** 20, rounds: 3, sampleEveryMs: 2, sizeCheck: true },
  upload: { sizeBytes: 200 * 2 ** 20, rounds: 3, sampleEveryMs: 2, crossProcessHit: true },
  pool: { servers: 4, prompts: 80, nodeLatencyMs: 20, rounds: 3 },
  attribution: { rounds: 4, promptsPerRound: 100, concurrentPrompts: 300 },
  peers: { timeoutMs: 20_000, nodeLatencyMs: 2, warmup: 1, rounds: 4, promptsPerRound: 20, concurrentPrompts: 30 },
  v2: { warmup: 1, rounds: 20, promptsPerRound: 50, sdkPromptsPerRound: 10, nodeLatencyMs: 5 },
  realServer: { rounds: 5, promptsPerRound: 100, warmupPromptsPerTurn: 100, timeoutMs: 60_000 },
};

const QUICK: BenchConfig = {
  quick: true,
  sequential: { warmup: 1, rounds: 4, promptsPerRound: 4 },
  concurrent: { warmupPrompts: 5, rounds: 2, prompts: 20 },
  dispatch: { warmup: 1, rounds: 3, inFlight: [1, 100, 1_000], framesPerRound: 1_000 },
  memory: { warmupPrompts: 10, prompts: 50, concurrency: 4 },
  download: { sizeBytes: 4 * 2 ** 20, rounds: 1, sampleEveryMs: 2, sizeCheck: false },
  upload: { sizeBytes: 2 * 2 ** 20, rounds: 1, sampleEveryMs: 2, crossProcessHit: false },
  pool: { servers: 4, prompts: 12, nodeLatencyMs: 5, rounds: 1 },
  attribution: { rounds: 2, promptsPerRound: 5, concurrentPrompts: 10 },
  peers: { timeoutMs: 1_000, nodeLatencyMs: 2, warmup: 0, rounds: 1, promptsPerRound: 3, concurrentPrompts: 5 },
  v2: { warmup: 0, rounds: 1, promptsPerRound: 3, sdkPromptsPerRound: 1, nodeLatencyMs: 5 },
  realServer: { rounds: 2, promptsPerRound: 3, warmupPromptsPerTurn: 1, timeoutMs: 5_000 },
};

/** The sizes for this run: quick when `quick` is true or `BENCH_QUICK=1`. */
export function benchConfig(quick = process.env.BENCH_QUICK === '1'): BenchConfig {
  return quick ? QUICK : FULL;
}
