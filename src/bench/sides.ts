import { performance } from 'node:perf_hooks';
import type { FakeRound } from './fakeRound';
import type { Workflow } from '../protocol/api';
import type { PeerDefinition } from './peers/peerClient';
import { SAINTNO } from './peers/saintnoPeer';
import { STABLE_CANVAS } from './peers/stableCanvasPeer';

/** The two contenders of cases 1 and 2, and of the attribution. */
export const BASELINE = 'baseline (ws + fetch)';
export const OURS = 'ComfyClient.runAsync';

/** The other ComfyUI client libraries measured beside them (devDependencies), as pino's benches do. */
export const PEERS: readonly PeerDefinition[] = [STABLE_CANVAS, SAINTNO];

/** Runs one prompt on one side and records its phases; returns the number of output nodes (checksum). */
export type PromptRunner = (round: FakeRound, workflow: Workflow) => Promise<number>;

/** One prompt through the hand-written baseline. */
export const baselinePrompt: PromptRunner = async (round, workflow) => {
  const calledAt = performance.now();
  const result = await round.plain.run(workflow);
  round.clock.note(BASELINE, result.promptId, calledAt, performance.now());
  return Object.keys(result.outputs).length;
};

/** One prompt through `ComfyClient.runAsync`. */
export const oursPrompt: PromptRunner = async (round, workflow) => {
  const calledAt = performance.now();
  const done = await round.comfy.runAsync(workflow);
  round.clock.note(OURS, done.promptId, calledAt, performance.now());
  return Object.keys(done.outputs).length;
};

/** `count` prompts one after the other. */
export async function inSequence(runner: PromptRunner, round: FakeRound, count: number, workflow: () => Workflow): Promise<number> {
  let checksum = 0;
  for (let i = 0; i < count; i++) checksum += await runner(round, workflow());
  return checksum;
}

/** `count` prompts submitted at once. */
export async function atOnce(runner: PromptRunner, round: FakeRound, count: number, workflow: () => Workflow): Promise<number> {
  const results = await Promise.all(Array.from({ length: count }, () => runner(round, workflow())));
  return results.reduce((sum, n) => sum + n, 0);
}

/** What a bounded prompt gives when it did not finish in time. */
export const TIMED_OUT = Symbol('timed out');

/** `promise`, or {@link TIMED_OUT} after `ms` (the timer is cleared either way). */
export async function bounded<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  promise.catch(() => undefined); // a late rejection, after the bound, is not an unhandled one
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One prompt through the peer `name` of the round, bounded by `timeoutMs`; records its phases. */
export function peerPrompt(name: string, timeoutMs: number): (round: FakeRound, workflow: Workflow) => Promise<number | typeof TIMED_OUT> {
  return async (round, workflow) => {
    const peer = round.peers.get(name);
    if (!peer) throw new Error(`peer ${name} is not connected to this round`);
    const calledAt = performance.now();
    const result = await bounded(peer.run(workflow), timeoutMs);
    if (result === TIMED_OUT) return TIMED_OUT;
    round.clock.note(name, result.promptId, calledAt, performance.now());
    return result.outputs;
  };
}
