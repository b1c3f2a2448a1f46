import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { ComfyClient } from '../client';
import { FakeComfyServer, type FakeComfyServerOptions } from '../testing';
import { PlainComfyClient } from './baseline/plainClient';
import { median } from './harness/stats';
import type { PeerClient, PeerDefinition } from './peers/peerClient';

/** Per-prompt timestamps: the caller's start and end, the fake's `prompt-queued` and `prompt-finished`. */
export interface PromptTimes {
  readonly calledAt: number;
  readonly queuedAt: number;
  readonly finishedAt: number;
  readonly doneAt: number;
}

/** Medians (ms) of the phases of one side's prompts. */
export interface PhaseMedians {
  /** From the call to the fake queueing it (client setup, POST, server validation). */
  readonly submitMs: number;
  /** From queued to finished on the fake (its execution, and any wait in its queue). */
  readonly serverMs: number;
  /** From the fake sending the end marker to the caller having the outputs (socket, parse, /history). */
  readonly finishToDoneMs: number;
}

/**
 * Where each prompt's time goes, from the fake's events plus the caller's timestamps. The fake
 * emits its events synchronously where it acts, so `queuedAt` / `finishedAt` are server-side times.
 */
export class PhaseClock {
  private readonly queued = new Map<string, number>();
  private readonly finished = new Map<string, number>();
  private readonly sides = new Map<string, PromptTimes[]>();

  constructor(fake: FakeComfyServer) {
    fake.events.on('prompt-queued', ({ promptId }) => this.queued.set(promptId, performance.now()));
    fake.events.on('prompt-finished', ({ promptId }) => this.finished.set(promptId, performance.now()));
  }

  /** Records one finished prompt of `side`. */
  note(side: string, promptId: string, calledAt: number, doneAt: number): void {
    const queuedAt = this.queued.get(promptId);
    const finishedAt = this.finished.get(promptId);
    this.queued.delete(promptId);
    this.finished.delete(promptId);
    if (queuedAt === undefined || finishedAt === undefined) throw new Error(`the fake never reported prompt ${promptId}`);
    let list = this.sides.get(side);
    if (!list) this.sides.set(side, (list = []));
    list.push({ calledAt, queuedAt, finishedAt, doneAt });
  }

  /** Prompts the fake queued, and of those how many it finished, that no side has noted (yet). */
  unnoted(): { readonly queued: number; readonly finished: number } {
    let finished = 0;
    for (const id of this.queued.keys()) if (this.finished.has(id)) finished++;
    return { queued: this.queued.size, finished };
  }

  /** Everything recorded for `side` (moved out: the clock forgets it). */
  take(side: string): PromptTimes[] {
    const list = this.sides.get(side) ?? [];
    this.sides.delete(side);
    return list;
  }
}

/** Phase medians of a list of prompts. */
export function phaseMedians(times: readonly PromptTimes[]): PhaseMedians {
  return {
    submitMs: median(times.map((t) => t.queuedAt - t.calledAt)),
    serverMs: median(times.map((t) => t.finishedAt - t.queuedAt)),
    finishToDoneMs: median(times.map((t) => t.doneAt - t.finishedAt)),
  };
}

/** A fresh fake with both clients connected to it (ComfyClient holding its socket, and the baseline). */
export interface FakeRound {
  readonly fake: FakeComfyServer;
  readonly comfy: ComfyClient;
  readonly plain: PlainComfyClient;
  /** The peer libraries connected to this fake, by name (empty unless asked for). */
  readonly peers: ReadonlyMap<string, PeerClient>;
  readonly clock: PhaseClock;
  close(): Promise<void>;
}

/**
 * Starts a fake, connects a `ComfyClient` (held open with `connect()`, as a batch does), the
 * baseline client and the given peers, and runs one prompt on ComfyClient and the baseline outside
 * any timing (sockets open, paths warm). Peers are warmed by their sides (a peer may hang).
 */
export async function openFakeRound(
  warmWorkflow: () => Record<string, unknown>,
  options?: FakeComfyServerOptions,
  peerDefinitions: readonly PeerDefinition[] = [],
  peerTimeoutMs = 0,
): Promise<FakeRound> {
  const fake = await FakeComfyServer.start(options);
  const comfy = new ComfyClient({ url: fake.url, lingerMs: 0 }); // closes at once when released
  const hold: Subscription = comfy.connect();
  const plain = await PlainComfyClient.open(fake.url);
  const peers = new Map<string, PeerClient>();
  for (const peer of peerDefinitions) peers.set(peer.name, await peer.open(fake.url, peerTimeoutMs));
  await comfy.runAsync(warmWorkflow());
  await plain.run(warmWorkflow());
  const clock = new PhaseClock(fake);
  return {
    fake,
    comfy,
    plain,
    peers,
    clock,
    async close() {
      hold.unsubscribe();
      for (const peer of peers.values()) await peer.close();
      await plain.close();
      await fake.stop();
    },
  };
}
