import { performance } from 'node:perf_hooks';
import type { FakeRound } from './fakeRound';
import type { Workflow } from '../protocol/api';

/** The two contenders of cases 1 and 2, and of the attribution. */
export const BASELINE = 'baseline (ws + fetch)';
export const OURS = 'ComfyClient.runAsync';

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
