import { V2Job } from '../../surfaces/v2/wire';
import { FakeComfyServer } from '../FakeComfyServer';
import { selectedJob } from './fakeV2Options';

const workflow = (prefix: string, extra: Record<string, unknown> = {}) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
  ...extra,
});
const stalled = (seconds: number) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  '2': { class_type: 'Stall', inputs: { image: ['1', 0], seconds, interruptible: true } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'stall' } },
});

async function submit(fake: FakeComfyServer, graph: Record<string, unknown>, headers: Record<string, string> = {}): Promise<V2Job> {
  const response = await fetch(`${fake.url}/api/v2/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ workflow: graph }) });
  expect(response.status).toBe(201);
  return V2Job.parse(await response.json());
}

/** Resolves once the job runs (at once if it already does). */
const running = (fake: FakeComfyServer, id: string) =>
  fake.queueSnapshot().queue_running.some((item) => item[1] === id) ? Promise.resolve() : fake.waitFor('prompt-started', (e) => e.promptId === id);

const getJob = async (fake: FakeComfyServer, id: string) => V2Job.parse(await (await fetch(`${fake.url}/api/v2/jobs/${id}`)).json());


describe('selectedJob', () => {
  it('spreads a fraction of jobs evenly by submission order', () => {
    const pick = (fraction: number) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => selectedJob(n, fraction));
    expect([pick(1 / 3), pick(0.1), pick(0), pick(1).length]).toEqual([[3, 6, 9], [10], [], 10]);
  });
});

describe('the fake v2 surface quirks', () => {
  let fake: FakeComfyServer;
  afterEach(() => fake.stop());

  it('expiredRace: a selected job reads expired once right after its end, then succeeded', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { expiredRace: 1, streamMissesEnd: 0 } } });
    const job = await submit(fake, workflow('race'));
    await fake.promptFinished(job.id);
    expect([(await getJob(fake, job.id)).status, (await getJob(fake, job.id)).status]).toEqual(['expired', 'succeeded']);
  });

  it('streamMissesEnd: the stream sends the terminal status only at its next heartbeat', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { streamMissesEnd: 1, heartbeatMs: 300 } } });
    const release = fake.holdQueue();
    const job = await submit(fake, workflow('missed'));
    const response = await fetch(`${fake.url}/api/v2/jobs/${job.id}/events`);
    let ended = false;
    const body = response.text().finally(() => (ended = true));
    release();
    await fake.promptFinished(job.id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false); // the job is over, its stream says nothing yet
    const text = await body;
    expect(text).toContain('event: output');
    expect(text.trimEnd().endsWith('event: status\ndata: {"status":"succeeded"}')).toBe(true);
  });

  it('maxStreams: the stream over the limit answers 429 with Retry-After; a left stream keeps its slot until its next heartbeat', async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { maxStreams: 1, heartbeatMs: 100, streamRetryAfterS: 2 } } });
    const release = fake.holdQueue();
    const job = await submit(fake, workflow('slots'));
    const abort = new AbortController();
    const first = await fetch(`${fake.url}/api/v2/jobs/${job.id}/events`, { signal: abort.signal });
    expect(first.status).toBe(200);
    const second = await fetch(`${fake.url}/api/v2/jobs/${job.id}/events`);
    expect([second.status, second.headers.get('retry-after'), ((await second.json()) as { error: { code: string } }).error.code]).toEqual([429, '2', 'too_many_streams']);
    const released = fake.waitFor('v2-stream-released', (e) => e.jobId === job.id);
    abort.abort();
    expect(fake.v2.stats.streamsOpen).toBe(1); // the proxy has not noticed yet
    await released;
    const third = await fetch(`${fake.url}/api/v2/jobs/${job.id}/events`);
    expect(third.status).toBe(200);
    await third.body?.cancel();
    release();
    await fake.promptFinished(job.id);
  });

  it("cancel 'ignored' answers canceling and the job runs to its end; 'works' interrupts it", async () => {
    fake = await FakeComfyServer.start({ v2: { quirks: { expiredRace: 0 } } });
    const ignored = await submit(fake, stalled(0.3));
    await running(fake, ignored.id);
    const answer = V2Job.parse(await (await fetch(`${fake.url}/api/v2/jobs/${ignored.id}/cancel`, { method: 'POST' })).json());
    expect(answer.status).toBe('canceling');
    expect((await fake.promptFinished(ignored.id)).status).toBe('success');
    expect((await getJob(fake, ignored.id)).status).toBe('succeeded');

    fake.v2.setQuirks({ cancel: 'works' });
    const stopped = await submit(fake, stalled(20));
    await running(fake, stopped.id);
    await fetch(`${fake.url}/api/v2/jobs/${stopped.id}/cancel`, { method: 'POST' });
    expect((await fake.promptFinished(stopped.id)).status).toBe('interrupted');
    expect((await getJob(fake, stopped.id)).status).toBe('canceled');
  });

  it('apiKey: calls without the key are 401 with the envelope and a request id', async () => {
    fake = await FakeComfyServer.start({ v2: { apiKey: 'secret-key', requestIds: true } });
    const refused = await fetch(`${fake.url}/api/v2/jobs?limit=1`);
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code, /^req_/.test(refused.headers.get('x-comfy-request-id') ?? '')]).toEqual([401, 'unauthorized', true]);
    const bearer = await fetch(`${fake.url}/api/v2/jobs?limit=1`, { headers: { Authorization: 'Bearer secret-key' } });
    const header = await fetch(`${fake.url}/api/v2/jobs?limit=1`, { headers: { 'X-API-Key': 'secret-key' } });
    expect([bearer.status, header.status]).toEqual([200, 200]);
  });

  it('failNext answers the v2 envelope with Retry-After', async () => {
    fake = await FakeComfyServer.start();
    fake.v2.failNext('POST /api/v2/jobs', 1, 429, { retryAfterS: 3 });
    const response = await fetch(`${fake.url}/api/v2/jobs`, { method: 'POST', body: JSON.stringify({ workflow: workflow('x') }) });
    expect([response.status, response.headers.get('retry-after'), ((await response.json()) as { error: { code: string } }).error.code]).toEqual([429, '3', 'queue_full']);
  });

  it("signedUrls 'direct': output URLs point at another origin that serves the bytes without credentials", async () => {
    fake = await FakeComfyServer.start({ v2: { apiKey: 'k', signedUrls: 'direct', quirks: { expiredRace: 0 } } });
    const job = await submit(fake, workflow('signed'), { Authorization: 'Bearer k' });
    await fake.promptFinished(job.id);
    const done = V2Job.parse(await (await fetch(`${fake.url}/api/v2/jobs/${job.id}`, { headers: { Authorization: 'Bearer k' } })).json());
    const url = done.outputs[0]?.url as string;
    expect(new URL(url).origin).not.toBe(new URL(fake.url).origin);
    const bytes = await fetch(url);
    expect([bytes.status, bytes.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await fetch(url.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(403);
    expect(fake.v2.requests.filter((r) => r.origin === 'storage').map((r) => r.credentials)).toEqual([false, false]);
  });
});
