import pino from 'pino';
import { firstValueFrom } from 'rxjs';
import { ComfyConnectionError } from '../errors';
import { Job, QueueResponse, parsePythonJson } from '../protocol';
import { ComfyHttp } from '../transport/http';
import { FakeComfyServer } from './FakeComfyServer';

const tiny = (color = 0) => ({
  '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
  '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'fault' } },
});

describe('FakeComfyServer fault knobs', () => {
  let fake: FakeComfyServer;
  const post = async (body: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify(body) });
    return ((await response.json()) as { prompt_id: string }).prompt_id;
  };
  beforeEach(async () => (fake = await FakeComfyServer.start()));
  afterEach(() => fake.stop());

  it('failNext: the next N requests of a route get the status (with Retry-After), then the route answers again; other routes are untouched', async () => {
    const id = await post({ prompt: tiny() });
    await fake.promptFinished(id);
    fake.failNext('GET /history/*', 2, 503, { retryAfterS: 1 });
    const first = await fetch(`${fake.url}/history/${id}`);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await fetch(`${fake.url}/queue`)).status).toBe(200);
    expect((await fetch(`${fake.url}/api/history/${id}`)).status).toBe(503); // the /api alias counts too
    const third = await fetch(`${fake.url}/history/${id}`);
    expect(third.status).toBe(200);
    expect(Object.keys((await third.json()) as object)).toEqual([id]);
  });

  it('failNext on POST /prompt: the request never reaches the route (nothing queued); undo cancels the rest', async () => {
    const undo = fake.failNext('POST /prompt', 5, 500);
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: tiny(), prompt_id: 'refused' }) });
    expect(response.status).toBe(500);
    expect(fake.stats.promptPosts.get('refused')).toBeUndefined();
    undo();
    expect(await post({ prompt: tiny(), prompt_id: 'accepted' })).toBe('accepted');
  });

  it('answerLate: the route answers after the client gave up; others answer on time', async () => {
    const undo = fake.answerLate('GET /queue', 2_000);
    const http = new ComfyHttp({ url: fake.url, requestTimeoutMs: 200, retry: { maxAttempts: 0 }, logger: pino({ level: 'silent' }) });
    const error = await firstValueFrom(http.queue()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(/no answer within 200 ms/);
    expect(await firstValueFrom(http.queueInfo())).toEqual({ exec_info: { queue_remaining: 0 } });
    undo();
    expect(await firstValueFrom(http.queue())).toEqual({ queue_running: [], queue_pending: [] });
  });

  it('dropNextResponse: the POST is processed (queued, run once) but its answer is lost', async () => {
    fake.dropNextResponse('POST /prompt');
    const dropped = fake.waitFor('response-dropped');
    const finished = fake.waitFor('prompt-finished', (e) => e.promptId === 'lost-answer');
    const error = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: tiny(), prompt_id: 'lost-answer' }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: 'fetch failed' }); // the socket closed without an answer
    expect(await dropped).toEqual({ method: 'POST', path: '/prompt' });
    expect((await finished).status).toBe('success');
    expect(fake.stats.promptPosts.get('lost-answer')).toBe(1);
    expect(fake.stats.promptExecutions.get('lost-answer')).toBe(1);
    expect(await post({ prompt: tiny(1) })).toEqual(expect.any(String)); // the next answer comes
  });

  it("serveForeignPrompt: /queue lists another client's prompt holding NaN, in Python's JSON, until removed", async () => {
    const { promptId, remove } = fake.serveForeignPrompt();
    const text = await (await fetch(`${fake.url}/queue`)).text();
    expect(text).toContain('NaN');
    expect(text).toContain('Infinity');
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const queue = QueueResponse.parse(parsePythonJson(text));
    expect(queue.queue_pending.map((item) => item[1])).toEqual([promptId]);
    expect(JSON.stringify(queue.queue_pending[0]![3])).toContain('python-next-door');
    remove();
    expect(await (await fetch(`${fake.url}/queue`)).json()).toEqual({ queue_running: [], queue_pending: [] });
  });

  it('reads request bodies as Python does: NaN in a POST body is accepted', async () => {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: '{"prompt": {"1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1, "color": 0}}, "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "nan"}}}, "extra_data": {"loss": NaN}}' });
    expect(response.status).toBe(200);
  });
});

describe('FakeComfyServer /api/jobs/{id} (docs/protocol.md §6.14)', () => {
  let fake: FakeComfyServer;
  afterEach(() => fake.stop());
  const job = async (id: string, prefix = '/api') => {
    const response = await fetch(`${fake.url}${prefix}/jobs/${id}`);
    return { status: response.status, body: (await response.text()) };
  };

  it('pending, in progress and completed as ComfyUI 0.8.0 answers them; unknown: 404 {"error": "Job not found"}', async () => {
    fake = await FakeComfyServer.start();
    const release = fake.holdQueue();
    const post = (id: string) => fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt: tiny(id.length), prompt_id: id, extra_data: { extra_pnginfo: { workflow: { id: 'wf-1' } } } }) });
    await post('a');
    await post('bb');
    const pending = JSON.parse((await job('bb')).body) as Job;
    expect(pending).toEqual({ id: 'bb', status: 'pending', priority: 1, create_time: expect.any(Number), outputs_count: 0, workflow_id: 'wf-1' });
    release();
    await fake.promptFinished('bb');
    const done = await job('bb');
    expect(done.status).toBe(200);
    const completed = Job.parse(JSON.parse(done.body));
    expect(completed).toMatchObject({ id: 'bb', status: 'completed', priority: 1, outputs_count: 1, workflow: { prompt: expect.any(Object) } });
    expect(completed.outputs).toEqual(fake.historyOf('bb')?.outputs);
    expect(completed.execution_status).toEqual(fake.historyOf('bb')?.status);
    expect(JSON.parse(done.body)).toMatchObject({ preview_output: { nodeId: '2', mediaType: 'images', type: 'output' }, execution_start_time: expect.any(Number), execution_end_time: expect.any(Number) });
    const unknown = await job('nobody');
    expect({ status: unknown.status, body: JSON.parse(unknown.body) as unknown }).toEqual({ status: 404, body: { error: 'Job not found' } });
    expect((await job('bb', '')).status).toBe(404); // only under /api
  });

  it('an older server (jobsApi: false) has no such route: a plain 404', async () => {
    fake = await FakeComfyServer.start({ jobsApi: false });
    expect(await job('x')).toEqual({ status: 404, body: '404: Not Found' });
  });
});
