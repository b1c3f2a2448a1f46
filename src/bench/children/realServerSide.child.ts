/**
 * The real-server mode, child side: one side (the baseline, ComfyClient or a peer library) alone in
 * this process, connected to the server for one turn. It runs `warmupPrompts` untimed prompts (the
 * socket is open and the code warm before the clock starts), then `prompts` timed ones, one at a
 * time, and answers this process's wall and CPU time per prompt: the client's own, since the server
 * and every other side live in other processes. Started by `realServer.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { ComfyClient } from '../../client';
import type { Workflow } from '../../protocol/api';
import { PlainComfyClient } from '../baseline/plainClient';
import { childMain } from '../harness/childProcess';
import { BASELINE, OURS, PEERS, TIMED_OUT, bounded } from '../sides';
import { colors, twoNodeImage } from '../workloads';

/** What the parent sends. */
export interface RealSideInput {
  readonly url: string;
  /** A side's row name: {@link BASELINE}, {@link OURS} or a peer's. */
  readonly side: string;
  readonly warmupPrompts: number;
  readonly prompts: number;
  readonly timeoutMs: number;
  /** The first EmptyImage color (a server keeps its cache between turns: every prompt is new). */
  readonly colorStart: number;
}

/** What the child answers: per prompt, ms; `outputs` is the checksum of the timed prompts. */
export interface RealSideResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly outputs: number;
}

interface OpenSide {
  run(workflow: Workflow): Promise<number>;
  close(): Promise<void>;
}

async function open(url: string, side: string, timeoutMs: number): Promise<OpenSide> {
  if (side === BASELINE) {
    const plain = await PlainComfyClient.open(url);
    return { run: async (workflow) => Object.keys((await plain.run(workflow)).outputs).length, close: () => plain.close() };
  }
  if (side === OURS) {
    const comfy = new ComfyClient({ url, lingerMs: 0 });
    const hold: Subscription = comfy.connect();
    return { run: async (workflow) => Object.keys((await comfy.runAsync(workflow)).outputs).length, close: async () => (hold.unsubscribe(), comfy.close()) };
  }
  const peer = PEERS.find((p) => p.name === side);
  if (!peer) throw new Error(`unknown side ${side}`);
  const client = await peer.open(url, timeoutMs);
  return { run: async (workflow) => (await client.run(workflow)).outputs, close: () => client.close() };
}

childMain<RealSideInput, RealSideResult>(async ({ url, side, warmupPrompts, prompts, timeoutMs, colorStart }) => {
  // an error a peer throws from a listener, outside its promises, is its failure
  let uncaught: unknown;
  process.on('uncaughtException', (error) => (uncaught ??= error));
  const color = colors(colorStart);
  const client = await open(url, side, timeoutMs);
  try {
    const one = async (): Promise<number> => {
      const outputs = await bounded(client.run(twoNodeImage(color())), timeoutMs);
      if (uncaught !== undefined) throw uncaught;
      if (outputs === TIMED_OUT) throw new Error(`no end within ${timeoutMs} ms`);
      return outputs;
    };
    for (let i = 0; i < warmupPrompts; i++) await one();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    let outputs = 0;
    for (let i = 0; i < prompts; i++) outputs += await one();
    const wallMs = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    return { wallMs: wallMs / prompts, cpuMs: (used.user + used.system) / 1000 / prompts, outputs };
  } finally {
    await client.close().catch(() => undefined);
  }
});
