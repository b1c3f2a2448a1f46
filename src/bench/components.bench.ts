import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EMPTY, Observable, asyncScheduler, firstValueFrom, lastValueFrom, of } from 'rxjs';
import { DEFAULT_RECONNECT } from '../constants';
import { libLogger } from '../log';
import { type HistoryEntry, HistoryResponse, type PromptResponse } from '../protocol/api';
import { type ComfyMessage, parseMessage } from '../protocol/messages';
import { PromptRouter } from '../prompt/promptRouter';
import { type PromptDeps, runPrompt } from '../prompt/runPrompt';
import { loadJsonFixture } from '../testing/traces';
import { ComfyHttp } from '../transport/http';
import type { SocketEvent } from '../transport/socket';
import { SocketHub } from '../transport/socketHub';
import { type BenchConfig, benchConfig } from './config';
import { compareRounds } from './harness/compare';
import { type BenchResult, atMost } from './harness/report';
import { fixed, times } from './harness/stats';
import { recordedFrames, renamePromptIds } from './traceFrames';
import { twoNodeImage } from './workloads';

/** Target: one prompt's life without I/O costs at most this much CPU (µs), with the router, state machine, checks and result. */
export const LIFE_TARGET_US = 20;

interface Component {
  readonly label: string;
  /** How often a prompt pays for it. */
  readonly perPrompt: number;
  readonly baselineUs: number;
  readonly oursUs: number;
}

/**
 * Where the client's extra CPU per prompt goes, component by component, each against what the
 * baseline does for the same job (same process, alternating rounds, medians):
 * - an HTTP JSON call: `fetch` + `json()` vs `ComfyHttp` (its request timeout, the Observable
 *   around the call, zod validation of the body; a JSON call gets no AbortSignal and nothing is
 *   aborted once it is answered), on a minimal in-process server;
 * - one prompt's frames (the recorded `success` scenario): `JSON.parse` vs `parseMessage`;
 * - one prompt's life without I/O: the baseline's waiter map vs `runPrompt` (the client's
 *   `SocketHub`, held open, the router, the prompt's state machine with its stall timer, the
 *   history read), with the HTTP calls answered synchronously.
 */
export async function componentsBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const warmup = config.quick ? 1 : 3;
  const rounds = config.quick ? 3 : 21;
  const scale = config.quick ? 0.1 : 1;
  let checksum = 0;

  // --- an HTTP JSON call
  const historyBody = JSON.stringify(loadJsonFixture('history_success'));
  const historyId = Object.keys(JSON.parse(historyBody) as Record<string, unknown>)[0] as string;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(historyBody);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}/history/${historyId}`;
  const http = new ComfyHttp({ url: base, logger: libLogger() });
  const calls = Math.max(10, Math.round(100 * scale));
  const repeat = async (count: number, call: () => Promise<number>) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += await call();
    return sum;
  };
  const keys = (value: unknown) => Object.keys(value as object).length;
  let httpCases;
  try {
    httpCases = await compareRounds(
      [
        { name: 'fetch + json()', run: () => repeat(calls, async () => keys(await (await fetch(url)).json())) },
        { name: 'ComfyHttp.history', run: () => repeat(calls, async () => ((await firstValueFrom(http.history(historyId))) ? 1 : 0)) },
      ],
      { warmup, rounds, setup: () => undefined },
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
  checksum += httpCases.checksum;
  const perCall = (index: number) => ((httpCases.cases[index]?.medianMs ?? NaN) * 1000) / calls;

  // --- one prompt's frames
  const { frames, promptIds } = recordedFrames(['success']);
  const promptsPerRound = Math.max(20, Math.round(500 * scale));
  const parseCases = await compareRounds(
    [
      { name: 'JSON.parse', run: () => parseAll(promptsPerRound, frames, (f) => (JSON.parse(f) as { type: string }).type.length) },
      { name: 'parseMessage', run: () => parseAll(promptsPerRound, frames, (f) => parseMessage(f).type.length) },
    ],
    { warmup, rounds, setup: () => undefined },
  );
  checksum += parseCases.checksum;
  const perPromptParse = (index: number) => ((parseCases.cases[index]?.medianMs ?? NaN) * 1000) / promptsPerRound;

  // --- one prompt's life without I/O
  const lives = Math.max(20, Math.round(1000 * scale));
  const recordedId = promptIds[0] as string;
  const history = HistoryResponse.parse(loadJsonFixture('history_success'));
  const entry = Object.values(history)[0] as HistoryEntry;
  const plainSet = lifeMessages(lives, frames, recordedId);
  const oursSet = lifeMessages(lives, frames, recordedId);
  const lifeCases = await compareRounds<LifeRound>(
    [
      { name: 'baseline waiter map', run: (round) => round.baseline() },
      { name: 'runPrompt (router + RxJS)', run: (round) => round.ours() },
    ],
    { warmup: warmup * 3, rounds, setup: () => lifeRound(lives, plainSet, oursSet, entry) },
  );
  checksum += lifeCases.checksum;
  const perLife = (index: number) => ((lifeCases.cases[index]?.medianMs ?? NaN) * 1000) / lives;
  const cpuPerLife = (index: number) => ((lifeCases.cases[index]?.cpuMedianMs ?? NaN) * 1000) / lives;

  const components: Component[] = [
    {
      label: 'HTTP JSON call (POST /prompt, GET /history)',
      perPrompt: 2,
      baselineUs: perCall(0),
      oursUs: perCall(1),
    },
    { label: `parse one prompt's ${frames.length} frames`, perPrompt: 1, baselineUs: perPromptParse(0), oursUs: perPromptParse(1) },
    { label: "one prompt's life without I/O", perPrompt: 1, baselineUs: perLife(0), oursUs: perLife(1) },
  ];
  const extra = components.reduce((sum, c) => sum + c.perPrompt * (c.oursUs - c.baselineUs), 0);
  const rows = components.map((c) => [c.label, `${c.perPrompt}`, fixed(c.baselineUs, 1), fixed(c.oursUs, 1), times(c.oursUs / c.baselineUs), fixed(c.perPrompt * (c.oursUs - c.baselineUs), 1)]);
  return {
    id: 'components',
    title: `Where the client's CPU goes, per component (${rounds} rounds, medians, µs)`,
    columns: ['component', 'x/prompt', 'baseline µs', 'ours µs', 'ratio', 'extra µs/prompt'],
    rows,
    verdicts: [atMost("one prompt's life without I/O, CPU per prompt (runPrompt)", cpuPerLife(1), LIFE_TARGET_US, ' µs')],
    notes: [
      `sum of the extras: ${fixed(extra, 0)} µs per prompt (HTTP rows include the in-process server's share, the same on both sides)`,
      `one prompt's life, CPU (user + system) per prompt: baseline ${fixed(cpuPerLife(0), 1)} µs, runPrompt ${fixed(cpuPerLife(1), 1)} µs (the table's columns are wall time)`,
    ],
    checksum,
    data: {
      httpBaselineUs: perCall(0),
      httpOursUs: perCall(1),
      parseBaselineUs: perPromptParse(0),
      parseOursUs: perPromptParse(1),
      lifeBaselineUs: perLife(0),
      lifeOursUs: perLife(1),
      lifeBaselineCpuUs: cpuPerLife(0),
      lifeOursCpuUs: cpuPerLife(1),
      extraUsPerPrompt: extra,
    },
    elapsedMs: performance.now() - started,
  };
}

function parseAll(prompts: number, frames: readonly string[], parse: (frame: string) => number): number {
  let sum = 0;
  for (let p = 0; p < prompts; p++) for (const frame of frames) sum += parse(frame);
  return sum;
}

interface LifeRound {
  baseline(): Promise<number>;
  ours(): Promise<number>;
}

/** Prompt ids and each one's (already parsed) recorded messages. */
interface LifeMessages {
  readonly ids: readonly string[];
  readonly messages: ReadonlyMap<string, readonly ComfyMessage[]>;
}

/**
 * The messages of `count` lives, made once for every round: the lives of a round run one after
 * another (a life's route is gone before the next starts), so rounds can reuse them, and no timed
 * round pays for the garbage of a setup (the frames' parse is measured on its own).
 */
function lifeMessages(count: number, frames: readonly string[], recordedId: string): LifeMessages {
  const ids: string[] = Array.from({ length: count }, () => randomUUID());
  const messages = new Map(ids.map((id) => [id, frames.map((f) => parseMessage(renamePromptIds(f, (old) => (old === recordedId ? id : old))))]));
  return { ids, messages };
}

/**
 * One round of prompt lives over messages made before (see {@link lifeMessages}). Each "POST"
 * answers at once and the recorded frames are delivered on the next microtask.
 */
function lifeRound(count: number, plainSet: LifeMessages, oursSet: LifeMessages, entry: HistoryEntry): LifeRound {
  const workflow = twoNodeImage(1);
  const logger = libLogger();
  return {
    async baseline() {
      let sum = 0;
      const waiters = new Map<string, () => void>();
      for (const id of plainSet.ids) {
        const finished = new Promise<void>((resolve) => waiters.set(id, resolve));
        const posted = Promise.resolve({ prompt_id: id, number: 0 });
        queueMicrotask(() => {
          for (const message of plainSet.messages.get(id) ?? []) {
            if (message.type === 'executing' && message.data.node === null && message.data.prompt_id) {
              const waiter = waiters.get(message.data.prompt_id);
              waiters.delete(message.data.prompt_id);
              waiter?.();
            }
          }
        });
        await posted;
        await finished;
        sum += Object.keys((await Promise.resolve(entry)).outputs).length;
      }
      return sum;
    },
    async ours() {
      const router = new PromptRouter();
      // the client's own shared socket, held open for the round as a script's `comfy.connect()` does; it never drops
      const hub = new SocketHub({
        connect: () => new Observable<SocketEvent>((subscriber) => subscriber.next({ kind: 'open', sid: 'bench' })),
        dispatch: (message) => router.dispatch(message),
        reconnect: DEFAULT_RECONNECT,
        lingerMs: 0,
        url: new URL('ws://127.0.0.1/ws'),
        logger,
      });
      const hold = hub.connection$.subscribe();
      let next = 0;
      const deps: PromptDeps = {
        clientId: 'bench',
        connection$: hub.connection$,
        attach: (id) => router.attach(id),
        http: {
          queuePrompt: (body) =>
            new Observable<PromptResponse>((subscriber) => {
              const id = body.prompt_id as string;
              subscriber.next({ prompt_id: id, number: 0, node_errors: {} });
              subscriber.complete();
              queueMicrotask(() => {
                for (const message of oursSet.messages.get(id) ?? ([] as ComfyMessage[])) router.dispatch(message);
              });
            }),
          history: () => of(entry),
          deleteFromQueue: () => EMPTY,
          interrupt: () => EMPTY,
        },
        queue$: of({ queue_running: [], queue_pending: [] }),
        scheduler: asyncScheduler,
        logger,
        newPromptId: () => oursSet.ids[next++] as string,
        stallWarnAfterMs: 30_000,
        recheckDelayMs: 1_000,
      };
      let sum = 0;
      for (let i = 0; i < count; i++) {
        const done = await lastValueFrom(runPrompt(deps, workflow));
        sum += done.type === 'done' ? Object.keys(done.outputs).length : 0;
      }
      hold.unsubscribe();
      return sum;
    },
  };
}
