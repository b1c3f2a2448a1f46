import { contentHash } from '../../surfaces/v2/assets/contentHash';
import { V2Output, V2Progress, parseStreamEvent } from '../../surfaces/v2/wire';
import { isPlainObject } from '../../util/isPlainObject';
import { FakeComfyServer } from '../FakeComfyServer';
import { placeholderPng } from '../media/placeholderPng';
import { type V2RecordedExchange, loadV2Trace, v2TraceNames } from './traces';

/**
 * Replays the whole recorded session of comfy-api-proxy over ComfyUI 0.8.0 (the recordings in
 * `__fixtures__/traces`, in order, on one fake: later files see earlier jobs) against the fake's
 * v2 surface, and compares every answer with the recorded one: status, content type and body,
 * after mapping the server-made ids (jobs, assets, hashes of our own upload bytes) and blanking
 * origins and timestamps. Waits of the recording are replaced by waits for the recorded state
 * (a job running, a job finished); sleeps in workflows are scaled down by 5, and so is the
 * stream throttle, so the streams keep their shape.
 */

const SCALE = 5;
const RECORDED_ORIGINS = /http:\/\/127\.0\.0\.1:818[89]/g;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00/g;

/** Recorded server-made strings -> the fake's. */
class IdMap {
  private readonly map = new Map<string, string>();
  private pattern: RegExp | undefined;

  learn(recorded: string, actual: string): void {
    if (recorded === actual || this.map.has(recorded)) return;
    this.map.set(recorded, actual);
    const dot = recorded.indexOf('.');
    if (dot > 0 && actual.indexOf('.') > 0) this.map.set(recorded.slice(0, dot), actual.slice(0, actual.indexOf('.'))); // signed ids: the payload alone (forged ids)
    if (recorded.startsWith('blake3:') && actual.startsWith('blake3:')) this.map.set(recorded.slice(7), actual.slice(7)); // hashes: the hex alone (percent-encoded colon)
    this.pattern = undefined;
  }

  apply(text: string): string {
    if (this.map.size === 0) return text;
    this.pattern ??= new RegExp([...this.map.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    return text.replace(this.pattern, (found) => this.map.get(found) ?? found);
  }

  /** Upload sizes: recorded bytes -> ours (our upload bytes are our own PNGs). */
  readonly sizes = new Map<number, number>();

  applyJson<T>(value: T): T {
    return JSON.parse(this.apply(JSON.stringify(value)), (key, v: unknown) => (key === 'size_bytes' && typeof v === 'number' ? (this.sizes.get(v) ?? v) : v)) as T;
  }
}

/** Walks a recorded body and the fake's side by side, learning ids, asset hashes and job ids. */
function learnIds(recorded: unknown, actual: unknown, ids: IdMap): void {
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    recorded.forEach((item, index) => learnIds(item, actual[index], ids));
    return;
  }
  if (!isPlainObject(recorded) || !isPlainObject(actual)) return;
  for (const [key, value] of Object.entries(recorded)) {
    const other = actual[key];
    if ((key === 'id' || key === 'hash' || key === 'job_id') && typeof value === 'string' && typeof other === 'string') ids.learn(value, other);
    else learnIds(value, other, ids);
  }
}

function normalize(value: unknown, fakeUrl: string): unknown {
  const text = JSON.stringify(value ?? null).replace(RECORDED_ORIGINS, '<origin>').split(fakeUrl).join('<origin>').replace(TIMESTAMP, '<time>');
  return JSON.parse(text);
}

/** Scales the sleeps of test nodes down (the sequences stay the same). */
function scaleWorkflow(body: unknown): unknown {
  if (!isPlainObject(body) || !isPlainObject(body.workflow)) return body;
  const copy = structuredClone(body) as { workflow: Record<string, { class_type?: string; inputs?: Record<string, unknown> }> };
  for (const node of Object.values(copy.workflow)) {
    const inputs = node.inputs ?? {};
    if (node.class_type === 'Stall' && typeof inputs.seconds === 'number') inputs.seconds /= SCALE;
    if (node.class_type === 'SlowProgress' && typeof inputs.delay_ms === 'number') inputs.delay_ms /= SCALE;
  }
  return copy;
}

/** Event names with every run of `progress`/`preview` collapsed to `~` (the throttle decides how many). */
function streamShape(names: readonly string[]): string {
  return names.map((name) => (name === 'progress' || name === 'preview' ? '~' : name)).join(' ').replace(/~( ~)+/g, '~');
}

interface Session {
  readonly fake: FakeComfyServer;
  readonly ids: IdMap;
  /** Our upload bytes for each recorded file hash. */
  readonly uploads: Map<string, Buffer>;
  /** Length of the last full asset content the fake served (to aim past its end). */
  contentLength: number;
}

async function uploadBytes(recordedHash: string, session: Session): Promise<Buffer> {
  let bytes = session.uploads.get(recordedHash);
  if (!bytes) {
    bytes = placeholderPng({ width: 8, height: 8, seed: session.uploads.size + 1 });
    session.uploads.set(recordedHash, bytes);
    session.ids.sizes.set(74, bytes.length); // the recorded upload's size
    if (session.uploads.size === 1) session.ids.learn(recordedHash, await contentHash(bytes));
  }
  return bytes;
}

async function requestBody(exchange: V2RecordedExchange, session: Session): Promise<BodyInit | undefined> {
  const body = exchange.request.body;
  if (body === undefined) return undefined;
  if (isPlainObject(body) && typeof body.raw === 'string') return body.raw;
  if (isPlainObject(body) && Array.isArray(body.multipart)) {
    const form = new FormData();
    for (const part of body.multipart as Record<string, unknown>[]) {
      if (typeof part.value === 'string') form.append(String(part.name), session.ids.apply(part.value));
      else form.append(String(part.name), new Blob([new Uint8Array(await uploadBytes(String(part.blake3), session))], { type: String(part.content_type) }), String(part.filename));
    }
    return form;
  }
  return JSON.stringify(session.ids.applyJson(scaleWorkflow(body)));
}

/** Waits until the job a recorded `GET /jobs/{id}` read is in the state the recording saw. */
async function reachRecordedState(exchange: V2RecordedExchange, path: string, session: Session): Promise<void> {
  const match = /^\/api\/v2\/jobs\/([^/?]+)$/.exec(path);
  const recorded = exchange.response.body;
  if (exchange.request.method !== 'GET' || !match || !isPlainObject(recorded) || typeof recorded.status !== 'string') return;
  const id = match[1] as string;
  if (recorded.status === 'running') {
    if (!session.fake.queueSnapshot().queue_running.some((item) => item[1] === id)) await session.fake.waitFor('prompt-started', (e) => e.promptId === id);
  } else if (['succeeded', 'failed', 'canceled'].includes(recorded.status)) await session.fake.promptFinished(id);
}

function rangeHeader(exchange: V2RecordedExchange, session: Session): string | undefined {
  const range = exchange.request.headers?.Range;
  if (range && exchange.response.status === 502) return `bytes=${session.contentLength + 100}-`; // past the end of our file, as it was past the end of theirs
  return range;
}

/** The Content-Range our file's length gives for the recorded request. */
function expectedContentRange(range: string, length: number): string {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range) as RegExpExecArray;
  const start = match[1] === '' ? length - Number(match[2]) : Number(match[1]);
  const end = match[1] !== '' && match[2] !== '' ? Number(match[2]) : length - 1;
  return `bytes ${start}-${end}/${length}`;
}

async function replayExchange(exchange: V2RecordedExchange, session: Session): Promise<void> {
  const { fake, ids } = session;
  const url = ids.apply(exchange.request.url.replace(RECORDED_ORIGINS, fake.url));
  const path = new URL(url).pathname;
  await reachRecordedState(exchange, path, session);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.request.headers ?? {})) if (name !== 'Range') headers[name] = value;
  const range = rangeHeader(exchange, session);
  if (range) headers.Range = range;
  const body = await requestBody(exchange, session);
  if (body instanceof FormData) delete headers['content-type'];
  const response = await fetch(url, { method: exchange.request.method, headers, body });
  const label = `${exchange.seq} ${exchange.label}`;
  const expected = exchange.response;
  expect({ label, status: response.status }).toEqual({ label, status: expected.status });
  const contentType = expected.headers['content-type'];
  if (contentType) expect({ label, contentType: response.headers.get('content-type') }).toEqual({ label, contentType });

  if (expected.sse_events) {
    const events = await readStream(response);
    const recordedNames = expected.sse_events.map((e) => e.event);
    expect({ label, shape: streamShape(events.map((e) => e.event)) }).toEqual({ label, shape: streamShape(recordedNames) });
    expect(events[0]).toEqual(expected.sse_events[0] && { event: expected.sse_events[0].event, data: normalize(ids.applyJson(expected.sse_events[0].data), fake.url) });
    const last = expected.sse_events[expected.sse_events.length - 1];
    expect(events[events.length - 1]).toEqual(last && { event: last.event, data: last.data });
    for (const event of events) expect(parseStreamEvent(event.event, JSON.stringify(event.data))).toBeDefined();
    const recordedProgress = expected.sse_events.find((e) => e.event === 'progress' && isPlainObject(e.data) && 'current_node' in e.data);
    const ourProgress = events.find((e) => e.event === 'progress' && isPlainObject(e.data) && 'current_node' in e.data);
    if (recordedProgress) expect(Object.keys(V2Progress.parse(ourProgress?.data)).sort()).toEqual(Object.keys(recordedProgress.data as object).sort());
    const recordedOutput = expected.sse_events.find((e) => e.event === 'output');
    if (recordedOutput) {
      const ours = events.find((e) => e.event === 'output');
      learnIds(recordedOutput.data, ours?.data, ids);
      expect(normalize(V2Output.parse(ours?.data), fake.url)).toEqual(normalize(ids.applyJson(recordedOutput.data), fake.url));
    }
    return;
  }
  if (expected.body_binary) {
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status === 200) session.contentLength = bytes.length;
    if (range && response.status === 206) expect({ label, range: response.headers.get('content-range') }).toEqual({ label, range: expectedContentRange(range, session.contentLength) });
    const head = expected.body_binary.head_hex;
    if (head && !range) expect(bytes.subarray(0, head.length / 2).toString('hex')).toBe(head);
    return;
  }
  const text = await response.text();
  if (expected.body === null || expected.body === undefined) {
    expect(text).toBe('');
    return;
  }
  const actual: unknown = JSON.parse(text);
  learnIds(expected.body, actual, ids);
  expect({ label, body: normalize(actual, fake.url) }).toEqual({ label, body: normalize(ids.applyJson(expected.body), fake.url) });
}

async function readStream(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((line) => line.startsWith('event: ')))
    .map((lines) => ({
      event: (lines.find((line) => line.startsWith('event: ')) as string).slice(7),
      data: JSON.parse((lines.find((line) => line.startsWith('data: ')) ?? 'data: null').slice(6)) as unknown,
    }));
}

describe('the fake v2 surface against the recorded comfy-api-proxy session', () => {
  let session: Session;

  beforeAll(async () => {
    const fake = await FakeComfyServer.start({ v2: { quirks: { expiredRace: 0, streamMissesEnd: 0, throttleMs: 500 / SCALE } } });
    session = { fake, ids: new IdMap(), uploads: new Map(), contentLength: 0 };
  });
  afterAll(() => session.fake.stop());

  it.each(v2TraceNames())('%s answers as recorded', async (name) => {
    for (const line of loadV2Trace(name)) {
      if (line.kind === 'exchange') await replayExchange(line, session);
      else if (line.kind === 'upstream') {
        const url = session.ids.apply(line.request.url.replace(RECORDED_ORIGINS, session.fake.url));
        const response = await fetch(url, { method: line.request.method });
        await response.arrayBuffer();
        expect({ label: line.label, status: response.status }).toEqual({ label: line.label, status: line.response.status });
      } else if (line.kind === 'harness' && line.prompt_id && /\/interrupt/.test(line.text)) {
        await fetch(`${session.fake.url}/interrupt`, { method: 'POST', body: JSON.stringify({ prompt_id: session.ids.apply(line.prompt_id) }) });
      }
    }
  });
});
