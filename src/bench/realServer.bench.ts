import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RealSideInput, RealSideResult } from './children/realServerSide.child';
import { type BenchConfig, benchConfig } from './config';
import { runChild } from './harness/childProcess';
import { type BenchResult, atMost } from './harness/report';
import { fixed, median, times } from './harness/stats';
import { BASELINE, OURS, PEERS } from './sides';

const CHILD = path.join(__dirname, 'children', 'realServerSide.child.ts');

/** Target: comfyui-rx's own CPU per prompt against a real server at most the hand-written client's. */
export const REAL_SERVER_CPU_TARGET_RATIO = 1;

interface RealSample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * The real-server mode (`COMFYUI_URL=http://host:8188 npm run bench`): the hand-written `ws` +
 * `fetch` client, `ComfyClient.runAsync` and the peer libraries run the same small workflow
 * (EmptyImage -> SaveImage, a new color each time: no cache hit) on that server, one prompt at a
 * time, `rounds` rounds of `promptsPerRound` per side, alternating which side goes first. Each
 * turn is one side alone in a process of its own (`children/realServerSide.child.ts`): it
 * connects, warms up with untimed prompts, and measures its own wall and CPU time, so no other
 * client's code, garbage or socket (a server broadcasts `status` to every socket) is counted. Per
 * prompt, wall time and client CPU (medians over rounds), each against the baseline of the same
 * run. A peer that hangs (no end within `timeoutMs`) or fails, even by throwing from a listener,
 * drops out, with a note.
 * @param url The server (any ComfyUI, or a `FakeComfyServer`'s URL).
 */
export async function realServerBench(url: string, config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { rounds, promptsPerRound, warmupPromptsPerTurn, timeoutMs } = config.realServer;
  const troubles = new Map<string, string>();
  const sides = [BASELINE, OURS, ...PEERS.map((peer) => peer.name)];
  const samples = new Map<string, RealSample[]>(sides.map((side) => [side, []]));
  let checksum = 0;
  let nextColor = 1 + Math.floor(Math.random() * 0xf00000); // a server keeps its cache between runs of the bench
  /** One turn of `side` in its own process; undefined when it dropped out (now or before). */
  const turn = async (side: string, warmupPrompts: number): Promise<RealSample | undefined> => {
    if (troubles.has(side)) return undefined;
    const input: RealSideInput = { url, side, warmupPrompts, prompts: promptsPerRound, timeoutMs, colorStart: nextColor };
    nextColor += warmupPrompts + promptsPerRound;
    try {
      const result = await runChild<RealSideResult>(CHILD, input);
      checksum += result.outputs;
      return result;
    } catch (error) {
      troubles.set(side, (error instanceof Error ? error.message : String(error)).split('\n')[0] as string);
      return undefined;
    }
  };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const sample = await turn(side, warmupPromptsPerTurn);
      if (sample) samples.get(side)?.push(sample);
    }
  }
  const summary = (name: string) => {
    const list = samples.get(name) ?? [];
    return list.length && !troubles.has(name) ? { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)) } : undefined;
  };
  const base = summary(BASELINE);
  const ours = summary(OURS);
  if (!base || !ours) throw new Error(`real-server bench: ${[...troubles].map(([name, why]) => `${name}: ${why}`).join('; ')}`);
  const rows = sides.map((side) => {
    const s = summary(side);
    if (!s) return [side, 'drops out', '', '', ''];
    return [side, fixed(s.wallMs, 3), times(s.wallMs / base.wallMs), fixed(s.cpuMs, 3), times(s.cpuMs / base.cpuMs)];
  });
  const cpuRatio = ours.cpuMs / base.cpuMs;
  return {
    id: 'realServer',
    title: `Real server ${url}: ${rounds} rounds x ${promptsPerRound} sequential prompts per side`,
    columns: ['side', 'wall ms/prompt', 'wall ratio', 'client CPU ms/prompt', 'CPU ratio'],
    rows,
    verdicts: [atMost('client CPU per prompt, ComfyClient / baseline', cpuRatio, REAL_SERVER_CPU_TARGET_RATIO, 'x')],
    notes: [
      `each turn runs one side alone in a process of its own (${warmupPromptsPerTurn} untimed prompts first), the server in another: CPU columns are that client's alone; medians over rounds, sides alternating`,
      ...[...troubles].map(([name, why]) => `${name}: dropped out (${why})`),
    ],
    checksum,
    data: {
      baselineWallMs: base.wallMs,
      oursWallMs: ours.wallMs,
      baselineCpuMs: base.cpuMs,
      oursCpuMs: ours.cpuMs,
      cpuRatio,
      wallRatio: ours.wallMs / base.wallMs,
      ...Object.fromEntries(
        PEERS.flatMap((peer, i) => {
          const s = summary(peer.name);
          return [
            [`peer${i}CpuRatio`, s ? s.cpuMs / base.cpuMs : Number.NaN],
            [`peer${i}WallRatio`, s ? s.wallMs / base.wallMs : Number.NaN],
            [`peer${i}Dropped`, s ? 0 : 1],
          ];
        }),
      ),
    },
    elapsedMs: performance.now() - started,
  };
}
