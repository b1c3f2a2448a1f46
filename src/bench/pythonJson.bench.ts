import { performance } from 'node:perf_hooks';
import { parseMessage } from '../protocol/messages';
import { parsePythonJson, stringifyPythonJson } from '../protocol/pythonJson';
import { foreignQueueItem } from '../testing/server/foreignPrompt';
import { type BenchConfig, benchConfig } from './config';
import { type RoundCase, compareRounds } from './harness/compare';
import { type BenchResult, atMost } from './harness/report';
import { fixed, times } from './harness/stats';
import { recordedFrames } from './traceFrames';

/** Strict frames must not get slower: `parsePythonJson` at most 5 % above `JSON.parse` (noise included). */
export const PYTHON_JSON_HOT_PATH_TARGET = 1.05;

/**
 * Python's JSON dialect (pythonJson.ts): what reading `NaN` / `Infinity` costs.
 * - Hot path: every recorded ComfyUI frame (strict JSON), `JSON.parse` vs `parsePythonJson` vs
 *   `JSON.parse` once more (an A/A control: the run's own noise) vs `parseMessage` (parse + zod),
 *   in the same run, alternating rounds, medians.
 * - Slow path, for scale: the same frames with a `NaN` in them, and a `/queue` body holding a
 *   foreign prompt with `NaN` (what reconciliation reads while a Python script's prompt waits),
 *   against `JSON.parse` of the same text with `null` in place of the tokens.
 */
export async function pythonJsonBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const warmup = config.quick ? 1 : 5;
  const rounds = config.quick ? 3 : 21;
  const repeat = config.quick ? 2 : 20;
  const frames = recordedFrames().frames;
  const nanFrames = frames.map((frame) => frame.replace(/^\{"type": ?"([^"]+)", ?"data": ?\{/, '{"type": "$1", "nan": NaN, "data": {'));
  const nanAsNull = nanFrames.map((frame) => frame.replaceAll('NaN', 'null'));
  const queue = { queue_running: [], queue_pending: Array.from({ length: 20 }, () => foreignQueueItem()) };
  const queueBody = stringifyPythonJson(queue);
  const queueAsNull = JSON.stringify(queue);

  const each = (texts: readonly string[], parse: (text: string) => unknown) => () => {
    let sum = 0;
    for (let r = 0; r < repeat; r++) for (const text of texts) sum += parse(text) === undefined ? 0 : 1;
    return sum;
  };
  const cases: RoundCase<undefined>[] = [
    { name: 'JSON.parse, strict frames', run: each(frames, (t) => JSON.parse(t)) },
    { name: 'parsePythonJson, strict frames', run: each(frames, parsePythonJson) },
    { name: 'JSON.parse again (A/A: the noise of this run)', run: each(frames, (t) => JSON.parse(t)) },
    { name: 'parseMessage, strict frames', run: each(frames, (t) => parseMessage(t).type) },
    { name: 'JSON.parse, frames with null', run: each(nanAsNull, (t) => JSON.parse(t)) },
    { name: 'parsePythonJson, frames with NaN', run: each(nanFrames, parsePythonJson) },
    { name: 'JSON.parse, /queue with null', run: each([queueAsNull], (t) => JSON.parse(t)) },
    { name: 'parsePythonJson, /queue with NaN', run: each([queueBody], parsePythonJson) },
  ];
  const comparison = await compareRounds(cases, { warmup, rounds, setup: () => undefined });
  const ms = (i: number) => comparison.cases[i]?.medianMs ?? Number.NaN;
  const perFrameNs = (i: number, count: number) => (ms(i) * 1e6) / (count * repeat);
  const hot = ms(1) / ms(0);
  const rows = [
    ['strict frames (hot path)', fixed(perFrameNs(0, frames.length), 0), fixed(perFrameNs(1, frames.length), 0), times(hot)],
    ['strict frames, JSON.parse again (A/A noise)', fixed(perFrameNs(0, frames.length), 0), fixed(perFrameNs(2, frames.length), 0), times(ms(2) / ms(0))],
    ['strict frames, parseMessage (parse + zod)', fixed(perFrameNs(0, frames.length), 0), fixed(perFrameNs(3, frames.length), 0), times(ms(3) / ms(0))],
    ['frames holding NaN (slow path)', fixed(perFrameNs(4, frames.length), 0), fixed(perFrameNs(5, frames.length), 0), times(ms(5) / ms(4))],
    [`/queue, 20 foreign prompts with NaN (${queueBody.length} B)`, fixed(perFrameNs(6, 1), 0), fixed(perFrameNs(7, 1), 0), times(ms(7) / ms(6))],
  ];
  return {
    id: 'pythonJson',
    title: `Python's JSON dialect: cost of reading NaN / Infinity (${frames.length} recorded frames x ${repeat} per round, ${rounds} rounds)`,
    columns: ['input', 'JSON.parse ns/text', 'ours ns/text', 'ratio to JSON.parse'],
    rows,
    verdicts: [atMost('strict frames: parsePythonJson / JSON.parse', hot, PYTHON_JSON_HOT_PATH_TARGET, 'x')],
    notes: ['the JSON.parse column of the NaN rows parses the same text with null in place of the tokens (what strict JSON would have sent)'],
    checksum: comparison.checksum,
    data: { hotPathRatio: hot, noiseRatio: ms(2) / ms(0), parseMessageRatio: ms(3) / ms(0), slowPathRatio: ms(5) / ms(4), queueRatio: ms(7) / ms(6) },
    elapsedMs: performance.now() - started,
  };
}
