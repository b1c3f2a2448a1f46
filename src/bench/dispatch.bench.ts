import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Subscription } from 'rxjs';
import { type Frame, framePromptId } from '../protocol/messages';
import { textFrameMessage } from '../transport/textFrame';
import { PromptRouter } from '../prompt/promptRouter';
import { type BenchConfig, benchConfig } from './config';
import { type RoundCase, compareRounds } from './harness/compare';
import { type BenchResult, atMost } from './harness/report';
import { fixed, max, min, times } from './harness/stats';
import { recordedFrames, renamePromptIds } from './traceFrames';

/** Target of case 3: cost per message at the largest N at most 20% above the smallest N's. */
export const DISPATCH_FLATNESS_TARGET = 1.2;

/** One in-flight level: a router with `inFlight` attached prompts and the frames addressed to them. */
interface Level {
  readonly inFlight: number;
  readonly router: PromptRouter;
  readonly subscriptions: Subscription[];
  readonly frames: readonly string[];
  delivered: number;
}

/**
 * Case 3: the socket's per-message path, as `ComfyClient` wires it: `textFrameMessage` (JSON, then
 * validation of the frames a follower reads: `PromptRouter.wants`; compiled guards for the frequent
 * ones, zod for the rest) then `PromptRouter.dispatch` (the O(1) split by prompt_id), with 1, 100
 * and 10,000 prompts attached.
 * Frames are the recorded ComfyUI frames (all scenarios), their prompt ids spread over the attached
 * prompts; the baseline is `JSON.parse` of the same strings. Cases alternate every round.
 */
export async function dispatchBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const { warmup, rounds, inFlight, framesPerRound } = config.dispatch;
  const recorded = recordedFrames();
  const levels = inFlight.map((n) => makeLevel(n, recorded.frames, recorded.promptIds, framesPerRound));
  try {
    const cases: RoundCase<undefined>[] = levels.flatMap((level) => [
      {
        name: `JSON.parse, ${level.inFlight} in flight`,
        run: () => {
          let sum = 0;
          for (const frame of level.frames) sum += (JSON.parse(frame) as { type: string }).type.length;
          return sum;
        },
      },
      {
        name: `socket path + dispatch, ${level.inFlight} in flight`,
        run: () => {
          let sum = 0;
          const { router } = level;
          const wants = (frame: Frame) => router.wants(frame.type, framePromptId(frame));
          for (const frame of level.frames) {
            const message = textFrameMessage(frame, wants);
            if (!message) continue;
            router.dispatch(message);
            sum += message.type.length;
          }
          return sum;
        },
      },
    ]);
    const comparison = await compareRounds(cases, { warmup, rounds, setup: () => undefined });
    const nsPerMessage = (index: number) => ((comparison.cases[index]?.medianMs ?? NaN) * 1e6) / framesPerRound;
    const ours = levels.map((_, i) => nsPerMessage(2 * i + 1));
    const flatness = max(ours) / min(ours);
    const rows = levels.map((level, i) => {
      const base = nsPerMessage(2 * i);
      const mine = nsPerMessage(2 * i + 1);
      return [`${level.inFlight}`, fixed(base, 0), fixed(mine, 0), times(mine / base), times(mine / (ours[0] as number)), fixed(level.delivered / (warmup + rounds), 0)];
    });
    const routed = levels.map((l) => l.delivered);
    return {
      id: 'dispatch',
      title: `3. Cost per message: parse + validate + split (${framesPerRound} recorded frames per round, ${rounds} rounds)`,
      columns: ['prompts in flight', 'JSON.parse ns/msg', 'ours ns/msg', 'ratio to JSON.parse', 'vs 1 in flight', 'routed msgs/round'],
      rows,
      verdicts: [atMost(`flatness (slowest / fastest level)`, flatness, DISPATCH_FLATNESS_TARGET, 'x')],
      notes: [`${recorded.frames.length} distinct recorded frames from every scenario, ${recorded.promptIds.length} recorded prompt ids mapped onto the attached prompts`],
      checksum: comparison.checksum + routed.reduce((a, b) => a + b, 0),
      data: {
        flatness,
        ...Object.fromEntries(levels.flatMap((level, i) => [
          [`jsonParseNs_${level.inFlight}`, nsPerMessage(2 * i)],
          [`oursNs_${level.inFlight}`, nsPerMessage(2 * i + 1)],
          [`routed_${level.inFlight}`, level.delivered],
        ])),
      },
      elapsedMs: performance.now() - started,
    };
  } finally {
    for (const level of levels) for (const subscription of level.subscriptions) subscription.unsubscribe();
  }
}

/**
 * Attaches `inFlight` prompts to a fresh router and builds `count` frames from the recordings, each
 * recorded prompt id replaced by an attached one spread across the whole set (so lookups hit a
 * map of the full size, not its first entries).
 */
function makeLevel(inFlight: number, frames: readonly string[], recordedIds: readonly string[], count: number): Level {
  const ids = Array.from({ length: inFlight }, () => randomUUID());
  const addressed: string[] = [];
  for (let i = 0; addressed.length < count; i++) {
    const frame = frames[i % frames.length] as string;
    const pass = Math.floor(i / frames.length);
    addressed.push(renamePromptIds(frame, (old) => ids[(recordedIds.indexOf(old) * 7919 + pass * 104_729) % inFlight] as string));
  }
  const level: Level = { inFlight, router: new PromptRouter(), subscriptions: [], frames: addressed, delivered: 0 };
  for (const id of ids) level.subscriptions.push(level.router.attach(id).subscribe(() => level.delivered++));
  return level;
}
