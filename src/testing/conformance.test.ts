import { FakeComfyServer } from './FakeComfyServer';
import { RecordingSocket } from './recordingSocket';
import { framesOf, loadJsonFixture, loadTrace, normalizeFrames, type TraceEvent } from './traces';

/**
 * Replays each recording of the real ComfyUI 0.8.0 against a fresh fake: same sockets and client
 * ids, same POST bodies (sleep times scaled down), the recorder's actions at the same points
 * (each action waits until every socket received what it had received in the recording), then
 * compares what each socket got with what the real server sent.
 */

/** Real waits in the recordings, shortened so the suite stays fast (the sequences do not change). */
function scaleDelays(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('prompt' in body)) return body;
  const copy = structuredClone(body) as { prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> };
  for (const node of Object.values(copy.prompt)) {
    if (node.class_type === 'SlowProgress' && typeof node.inputs.delay_ms === 'number') node.inputs.delay_ms = Math.max(20, Math.round(node.inputs.delay_ms / 5));
    if (node.class_type === 'Stall' && node.inputs.interruptible === false) node.inputs.seconds = 0.3;
  }
  return copy;
}

interface Replay {
  readonly fake: FakeComfyServer;
  readonly sockets: Map<string, RecordingSocket>;
  readonly httpAnswers: { readonly event: Extract<TraceEvent, { kind: 'http' }>; readonly status: number; readonly body: unknown }[];
  readonly histories: { readonly fixture: string; readonly body: unknown }[];
}

/** Recorded prompt ids -> the fake's, learnt from the POST /prompt answers. */
function mapIds(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_key, v: unknown) => (typeof v === 'string' && ids.has(v) ? ids.get(v) : v));
}

async function replay(name: string): Promise<Replay> {
  const trace = loadTrace(name);
  const fake = await FakeComfyServer.start();
  const sockets = new Map<string, RecordingSocket>();
  const expected = new Map<string, number>();
  const ids = new Map<string, string>();
  const posted: string[] = [];
  const finished = new Set<string>();
  let lastProgress = 0;
  let progressWaiter: (() => void) | undefined;
  fake.events.on('prompt-finished', ({ promptId }) => finished.add(promptId));
  fake.events.on('progress', ({ value }) => {
    lastProgress = value;
    progressWaiter?.();
  });
  const httpAnswers: Replay['httpAnswers'][number][] = [];
  const histories: Replay['histories'][number][] = [];

  /** Waits until every open socket has at least the frames it had at this point of the recording. */
  const sync = async () => {
    for (const [ws, count] of expected) {
      const socket = sockets.get(ws);
      if (socket && !closedSockets.has(ws)) await socket.waitForCount(count);
    }
  };
  const closedSockets = new Set<string>();
  const untilProgress = (value: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (lastProgress >= value) {
          progressWaiter = undefined;
          resolve();
        }
      };
      progressWaiter = check;
      check();
    });

  for (let index = 0; index < trace.length; index++) {
    const event = trace[index] as TraceEvent;
    switch (event.kind) {
      case 'frame':
        expected.set(event.ws, (expected.get(event.ws) ?? 0) + 1);
        break;
      case 'open': {
        await sync();
        // A reconnect mid-run: let the run advance as far as it had when the recording reconnected.
        const firstProgress = trace.slice(index).find(
          (e): e is Extract<TraceEvent, { kind: 'frame' }> => e.kind === 'frame' && e.ws === event.ws && e.frame.kind === 'text' && e.frame.message.type === 'progress',
        );
        if (firstProgress && firstProgress.frame.kind === 'text') {
          const value = (firstProgress.frame.message.data as { value: number }).value;
          if (value > 1) await untilProgress(value - 1);
        }
        const url = new URL(event.url);
        sockets.set(event.ws, await RecordingSocket.open(`${fake.url.replace('http', 'ws')}${url.pathname}${url.search}`));
        break;
      }
      case 'sent':
        await sync();
        sockets.get(event.ws)?.send(event.frame);
        break;
      case 'close':
        await sync();
        closedSockets.add(event.ws);
        await sockets.get(event.ws)?.close();
        break;
      case 'http': {
        await sync();
        const raw = event.request === '<raw>';
        const init: RequestInit = { method: event.method };
        if (event.method === 'POST') init.body = raw ? '{not json' : JSON.stringify(mapIds(scaleDelays(event.request), ids));
        const response = await fetch(`${fake.url}${event.path}`, init);
        const text = await response.text();
        let body: unknown = text;
        if ((response.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
        if (event.method === 'POST' && event.path === '/prompt' && response.status === 200) {
          const recorded = (event.body as { prompt_id: string }).prompt_id;
          const actual = (body as { prompt_id: string }).prompt_id;
          ids.set(recorded, actual);
          posted.push(actual);
        }
        httpAnswers.push({ event, status: response.status, body });
        break;
      }
      case 'note': {
        const saved = /^saved GET \/history\/(\S+) -> (\S+)\.json$/.exec(event.note);
        if (saved) {
          await sync();
          const promptId = ids.get(saved[1] as string) as string;
          if (!finished.has(promptId)) await fake.waitFor('prompt-finished', (e) => e.promptId === promptId);
          histories.push({ fixture: saved[2] as string, body: await (await fetch(`${fake.url}/history/${promptId}`)).json() });
        }
        break;
      }
      default:
        break;
    }
  }
  for (const promptId of posted) if (!finished.has(promptId)) await fake.waitFor('prompt-finished', (e) => e.promptId === promptId);
  await sync();
  for (const [ws, socket] of sockets) if (!closedSockets.has(ws)) await socket.flush();
  return { fake, sockets, httpAnswers, histories };
}

/** Keys and value types, recursively (object keys sorted; arrays element by element). */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.keys(value as object).sort().map((key) => [key, shapeOf((value as Record<string, unknown>)[key])]));
  }
  return typeof value;
}

const SCENARIOS = [
  'success',
  'progress',
  'cached',
  'error',
  'interrupt',
  'interrupt_targeted',
  'two_prompts_queued',
  'other_client',
  'no_client_id',
  'reconnect',
  'reconnect_new_id',
  'bad_prompt',
  'preview',
  'preview_metadata',
  'save_image_websocket',
  'stall_interrupt',
  'stall_uninterruptible',
];

describe('FakeComfyServer conformance with the recordings of ComfyUI 0.8.0', () => {
  const running: Replay[] = [];
  afterEach(async () => {
    for (const run of running.splice(0)) {
      for (const socket of run.sockets.values()) await socket.close();
      await run.fake.stop();
    }
  });

  it.each(SCENARIOS)('%s: every socket receives the recorded message sequence', async (name) => {
    const run = await replay(name);
    running.push(run);
    const trace = loadTrace(name);
    for (const [ws, socket] of run.sockets) {
      expect({ ws, frames: normalizeFrames(socket.frames) }).toEqual({ ws, frames: normalizeFrames(framesOf(trace, ws)) });
    }
    for (const answer of run.httpAnswers) {
      expect({ request: `${answer.event.method} ${answer.event.path}`, status: answer.status }).toEqual({
        request: `${answer.event.method} ${answer.event.path}`,
        status: answer.event.status,
      });
    }
  });

  it('bad_prompt: the 400 and 500 bodies are exactly the recorded ones', async () => {
    const run = await replay('bad_prompt');
    running.push(run);
    expect(run.httpAnswers).toHaveLength(9);
    for (const answer of run.httpAnswers) expect(answer.body).toEqual(answer.event.body);
  });

  it.each([
    ['success', 'history_success'],
    ['cached', 'history_cached_second'],
    ['error', 'history_error'],
    ['interrupt', 'history_interrupt'],
  ])('%s: GET /history/{id} has the shape and content of %s.json', async (name, fixture) => {
    const run = await replay(name);
    running.push(run);
    const saved = run.histories.find((h) => h.fixture === fixture);
    expect(saved).toBeDefined();
    const recorded = loadJsonFixture(fixture) as Record<string, Record<string, unknown>>;
    const actual = saved?.body as Record<string, Record<string, unknown>>;
    const [recordedEntry] = Object.values(recorded);
    const [actualEntry] = Object.values(actual);
    expect(Object.keys(actual)).toHaveLength(1);
    expect(shapeOf(actualEntry)).toEqual(shapeOf(recordedEntry));
    // Same content apart from ids, numbers and times:
    const comparable = (entry: Record<string, unknown> | undefined, scale: boolean) => {
      const { prompt, outputs, status, meta } = entry as { prompt: unknown[]; outputs: unknown; status: { status_str: string; completed: boolean; messages: [string, Record<string, unknown>][] }; meta: unknown };
      return {
        graph: scale ? (scaleDelays({ prompt: prompt[2] }) as { prompt: unknown }).prompt : prompt[2],
        clientId: (prompt[3] as { client_id?: string }).client_id,
        toExecute: prompt[4],
        outputs,
        meta,
        statusStr: status.status_str,
        completed: status.completed,
        messages: status.messages.map(([event, data]) => [event, data.node_id ?? null, data.nodes ?? null, data.exception_message ?? null]),
      };
    };
    expect(comparable(actualEntry, false)).toEqual(comparable(recordedEntry, true));
  });
});
