import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { ComfyClient } from '../client';
import type { Workflow } from '../protocol/api';
import { PlainComfyClient } from './baseline/plainClient';
import { type BenchConfig, benchConfig } from './config';
import { type BenchResult, atMost } from './harness/report';
import { fixed, median, times } from './harness/stats';
import type { PeerClient } from './peers/peerClient';
import { BASELINE, OURS, PEERS, TIMED_OUT, bounded } from './sides';
import { colors, twoNodeImage } from './workloads';

/** Target: comfyui-rx's own CPU per prompt against a real server at most the hand-written client's. */
export const REAL_SERVER_CPU_TARGET_RATIO = 1;

interface RealSide {
  readonly name: string;
  /** One prompt; resolves with its output count, or rejects. */
  run(workflow: Workflow): Promise<number>;
  close(): Promise<void>;
}

interface RealSample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * The real-server mode (`COMFYUI_URL=http://host:8188 npm run bench`): the hand-written `ws` +
 * `fetch` client, `ComfyClient.runAsync` and the peer libraries run the same small workflow
 * (EmptyImage -> SaveImage, a new color each time: no cache hit) on that server, one prompt at a
 * time, `rounds` rounds of `promptsPerRound` per side, alternating which side goes first. The
 * server is another process, so this process's CPU time is the client's own: per prompt, wall
 * time and client CPU (medians over rounds), each against the baseline of the same run. A peer
 * that hangs (no end within `timeoutMs`) or fails drops out, with a note; an error it throws
 * outside its promises (from a listener) while it runs is caught here and counted as its failure.
 * @param url The server (any ComfyUI, or a `FakeComfyServer`'s URL).
 */
export async function realServerBench(url: string, config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { warmup, rounds, promptsPerRound, timeoutMs } = config.realServer;
  const color = colors(1 + Math.floor(Math.random() * 0xfff000)); // a server keeps its cache between runs of the bench
  const comfy = new ComfyClient({ url, lingerMs: 0 });
  const hold: Subscription = comfy.connect();
  const plain = await PlainComfyClient.open(url);
  const peers: PeerClient[] = [];
  const troubles = new Map<string, string>();
  const sides: RealSide[] = [
    { name: BASELINE, run: async (workflow) => Object.keys((await plain.run(workflow)).outputs).length, close: () => plain.close() },
    { name: OURS, run: async (workflow) => Object.keys((await comfy.runAsync(workflow)).outputs).length, close: async () => (hold.unsubscribe(), comfy.close()) },
  ];
  for (const peer of PEERS) {
    try {
      const client = await peer.open(url, timeoutMs);
      peers.push(client);
      sides.push({ name: peer.name, run: async (workflow) => (await client.run(workflow)).outputs, close: () => client.close() });
    } catch (error) {
      troubles.set(peer.name, `could not connect: ${String(error)}`);
    }
  }
  const samples = new Map<string, RealSample[]>(sides.map((side) => [side.name, []]));
  let checksum = 0;
  /** Runs `count` prompts on `side`, one at a time; undefined when it dropped out. */
  const turn = async (side: RealSide, count: number): Promise<RealSample | undefined> => {
    if (troubles.has(side.name)) return undefined;
    let uncaught: unknown;
    const onUncaught = (error: unknown) => (uncaught ??= error);
    const peer = side.name !== BASELINE && side.name !== OURS;
    if (peer) process.on('uncaughtException', onUncaught);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    try {
      for (let i = 0; i < count && uncaught === undefined; i++) {
        const outputs = await bounded(side.run(twoNodeImage(color())), timeoutMs);
        if (outputs === TIMED_OUT) throw new Error(`no end within ${timeoutMs} ms`);
        checksum += outputs;
      }
      if (uncaught !== undefined) throw uncaught;
    } catch (error) {
      troubles.set(side.name, error instanceof Error ? error.message : String(error));
      return undefined;
    } finally {
      if (peer) process.off('uncaughtException', onUncaught);
    }
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { wallMs: wallMs / count, cpuMs: (used.user + used.system) / 1000 / count };
  };
  try {
    for (let round = 0; round < warmup + rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const sample = await turn(side, promptsPerRound);
        if (sample && round >= warmup) samples.get(side.name)?.push(sample);
      }
    }
  } finally {
    for (const side of sides) await side.close().catch(() => undefined);
  }
  const summary = (name: string) => {
    const list = samples.get(name) ?? [];
    return list.length && !troubles.has(name) ? { wallMs: median(list.map((s) => s.wallMs)), cpuMs: median(list.map((s) => s.cpuMs)) } : undefined;
  };
  const base = summary(BASELINE);
  const ours = summary(OURS);
  if (!base || !ours) throw new Error(`real-server bench: ${[...troubles].map(([name, why]) => `${name}: ${why}`).join('; ')}`);
  const rows = sides.map((side) => {
    const s = summary(side.name);
    if (!s) return [side.name, 'drops out', '', '', ''];
    return [side.name, fixed(s.wallMs, 3), times(s.wallMs / base.wallMs), fixed(s.cpuMs, 3), times(s.cpuMs / base.cpuMs)];
  });
  const cpuRatio = ours.cpuMs / base.cpuMs;
  return {
    id: 'realServer',
    title: `Real server ${comfy.url}: ${rounds} rounds x ${promptsPerRound} sequential prompts per side`,
    columns: ['side', 'wall ms/prompt', 'wall ratio', 'client CPU ms/prompt', 'CPU ratio'],
    rows,
    verdicts: [atMost('client CPU per prompt, ComfyClient / baseline', cpuRatio, REAL_SERVER_CPU_TARGET_RATIO, 'x')],
    notes: [
      'the server runs in its own process: CPU columns are the client\'s alone; medians over rounds, sides alternating',
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
