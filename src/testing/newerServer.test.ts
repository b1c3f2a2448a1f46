/**
 * The fake started as a newer ComfyUI (0.38.1): what it tells about itself, the routes it adds,
 * and the answers of its POST /prompt (the library's own validation, as that server).
 */
import { randomUUID } from 'node:crypto';
import { lastValueFrom } from 'rxjs';
import { tinyImage } from '../__fixtures__/workflows';
import { ComfyClient } from '../client';
import { ComfyOptionsError, ComfyValidationError } from '../errors';
import { FakeComfyServer } from './FakeComfyServer';

const replacements = {
  OldInvert: [{ new_node_id: 'ImageInvert', old_node_id: 'OldInvert', old_widget_ids: null, input_mapping: [{ new_id: 'image', old_id: 'pixels' }], output_mapping: null }],
};

describe('FakeComfyServer as ComfyUI 0.38.1', () => {
  let fake: FakeComfyServer;
  let classic: FakeComfyServer;
  const clients: ComfyClient[] = [];
  beforeAll(async () => {
    [fake, classic] = await Promise.all([FakeComfyServer.start({ version: '0.38.1', nodeReplacements: replacements }), FakeComfyServer.start()]);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => Promise.all([fake.stop(), classic.stop()]));
  const client = (url: string, validate = false) => {
    const c = new ComfyClient({ url, lingerMs: 0, validate });
    clients.push(c);
    return c;
  };
  const post = (url: string, body: unknown) => fetch(`${url}/prompt`, { method: 'POST', body: JSON.stringify(body) });

  it('tells its version and newer flags, and lists its node replacements (0.8.0 has none)', async () => {
    const http = client(fake.url).http;
    expect((await lastValueFrom(http.systemStats())).system.comfyui_version).toBe('0.38.1');
    expect(await lastValueFrom(http.features())).toMatchObject({ node_replacements: true, supports_model_type_tags: true, assets: false });
    const table = await lastValueFrom(http.nodeReplacements());
    expect(Object.keys(table)).toEqual(expect.arrayContaining(['T2IAdapterLoader', 'ImageScaleBy', 'OldInvert']));
    expect((await fetch(`${classic.url}/node_replacements`)).status).toBe(404);
    expect(await lastValueFrom(client(classic.url).http.features())).not.toHaveProperty('node_replacements');
  });

  it('answers missing_node_type and invalid_prompt_id where 0.8.0 answered invalid_prompt and took any id', async () => {
    const unknown = { prompt: { '5': { class_type: 'NotInstalled', inputs: {}, _meta: { title: 'Magic' } } } };
    expect(await (await post(fake.url, unknown)).json()).toEqual({
      error: { type: 'missing_node_type', message: "Node 'Magic' not found. The custom node may not be installed.", details: "Node ID '#5'", extra_info: { node_id: '5', class_type: 'NotInstalled', node_title: 'Magic' } },
      node_errors: {},
    });
    expect(((await (await post(classic.url, unknown)).json()) as { error: { type: string } }).error.type).toBe('invalid_prompt');
    const badId = await post(fake.url, { prompt: tinyImage('bad-id'), prompt_id: 'job-1' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { error: { type: string } }).error.type).toBe('invalid_prompt_id');
  });

  it('rewrites a class it lacks with its replacement before validating, and keeps the rewritten prompt', async () => {
    const done = await client(fake.url).runAsync({
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 7 } },
      '2': { class_type: 'OldInvert', inputs: { pixels: ['1', 0], strength: 2 } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'replaced' } },
    });
    const stored = fake.historyOf(done.promptId)!.prompt[2] as Record<string, { class_type: string; inputs: unknown }>;
    expect(stored['2']).toMatchObject({ class_type: 'ImageInvert', inputs: { image: ['1', 0] } });
  });

  it('a client validating offline gets the same error as the newer server gives, without posting', async () => {
    const broken = { ...tinyImage('offline'), '9': { class_type: 'NotInstalled', inputs: {} } };
    let posts = 0;
    fake.events.on('http', (e) => e.method === 'POST' && e.path === '/prompt' && posts++);
    const offline = await client(fake.url, true).runAsync(broken).catch((e: unknown) => e);
    expect(posts).toBe(0);
    const online = await client(fake.url).runAsync(broken).catch((e: unknown) => e);
    expect(posts).toBe(1);
    const shape = (e: unknown) => {
      const error = e as ComfyValidationError;
      return { type: error.constructor.name, message: error.message, errorType: error.errorType, details: error.details };
    };
    expect(offline).toBeInstanceOf(ComfyValidationError);
    expect(shape(offline)).toEqual(shape(online));
    expect((offline as ComfyValidationError).errorType).toBe('missing_node_type');
  });

  it("a caller's own promptId that is not a canonical UUID fails before anything is sent", async () => {
    let posts = 0;
    fake.events.on('http', (e) => e.method === 'POST' && e.path === '/prompt' && posts++);
    const error = await client(fake.url).runAsync(tinyImage('own-id'), { promptId: 'Job-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect(posts).toBe(0);
    const promptId = randomUUID();
    expect((await client(fake.url).runAsync(tinyImage('own-id'), { promptId })).promptId).toBe(promptId);
  });

  it('POST /api/jobs/cancel checks its body like the server: JSON, a list, canonical ids', async () => {
    const cancel = async (body: string) => {
      const response = await fetch(`${fake.url}/api/jobs/cancel`, { method: 'POST', body });
      return [response.status, await response.json()];
    };
    expect(await cancel('{')).toEqual([400, { error: 'Request body must be valid JSON' }]);
    expect(await cancel('{"job_ids": "x"}')).toEqual([400, { error: 'job_ids must be a list' }]);
    expect(await cancel('{"job_ids": ["x", 5, [1]]}')).toEqual([400, { error: 'job_ids contains invalid id(s)', invalid_ids: ['x', '5', '[1]'] }]);
    expect(await cancel(JSON.stringify({ job_ids: [randomUUID()] }))).toEqual([200, { cancelled: false }]);
  });
});
