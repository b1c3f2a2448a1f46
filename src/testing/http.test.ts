import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { FakeComfyServer } from './FakeComfyServer';
import { TRACE_DIR } from './traces';

/** `### title` sections of http_smoke.txt: the JSON body (if any) and the status line. */
function smokeSections(): Map<string, { body?: unknown; statusLine: string }> {
  const sections = new Map<string, { body?: unknown; statusLine: string }>();
  const text = readFileSync(join(TRACE_DIR, 'http_smoke.txt'), 'utf8');
  for (const chunk of text.split(/^### /m).slice(1)) {
    const [title = '', ...lines] = chunk.split('\n');
    const statusLine = lines.find((line) => line.startsWith('HTTP ')) ?? '';
    const bodyText = lines.filter((line) => !line.startsWith('HTTP ') && line.trim() !== '').join('\n');
    let body: unknown;
    try {
      body = bodyText ? JSON.parse(bodyText) : undefined;
    } catch {
      body = bodyText;
    }
    sections.set(title.trim(), { body, statusLine });
  }
  return sections;
}

/** Keys and value types, recursively; arrays as the set of their element shapes. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))].sort().map((s) => JSON.parse(s) as unknown);
  if (value === null) return 'null';
  if (typeof value === 'object') return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]));
  return typeof value;
}

function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([r, g, b, 255], i);
  return PNG.sync.write(png);
}

function uploadForm(fields: Record<string, string>, image?: { name: string; bytes: Buffer }): FormData {
  const form = new FormData();
  if (image) form.append('image', new Blob([new Uint8Array(image.bytes)], { type: 'image/png' }), image.name);
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

describe('FakeComfyServer HTTP API', () => {
  const smoke = smokeSections();
  let fake: FakeComfyServer;
  const get = (path: string) => fetch(`${fake.url}${path}`);
  const post = (path: string, body: unknown) => fetch(`${fake.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const red16 = solidPng(16, 16, [255, 0, 0]);

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  describe('answers like http_smoke.txt', () => {
    it('GET /system_stats has the recorded keys and types', async () => {
      const response = await get('/system_stats');
      expect(response.status).toBe(200);
      expect(shapeOf(await response.json())).toEqual(shapeOf(smoke.get('GET /system_stats')?.body));
    });

    it('GET /object_info/SlowProgress is the recorded definition', async () => {
      expect(await (await get('/object_info/SlowProgress')).json()).toEqual(smoke.get('GET /object_info/SlowProgress')?.body);
    });

    it('GET /features is the recorded flag set', async () => {
      expect(await (await get('/features')).json()).toEqual(smoke.get('GET /features')?.body);
    });

    it('uploads, views and runs an uploaded image: LoadImage -> ImageInvert -> SaveImage inverts the pixels', async () => {
      const first = await fetch(`${fake.url}/upload/image`, { method: 'POST', body: uploadForm({ overwrite: 'true' }, { name: 'red16.png', bytes: red16 }) });
      expect(await first.json()).toEqual(smoke.get('POST /upload/image (multipart image=@red16.png, overwrite=true)')?.body);
      const second = await fetch(`${fake.url}/upload/image`, { method: 'POST', body: uploadForm({ subfolder: 'tests', type: 'input' }, { name: 'red16.png', bytes: red16 }) });
      expect(await second.json()).toEqual(smoke.get('POST /upload/image subfolder=tests type=input')?.body);
      expect((await fetch(`${fake.url}/upload/image`, { method: 'POST', body: uploadForm({ type: 'input' }) })).status).toBe(400);

      const view = await get('/view?filename=red16.png&type=input');
      expect(view.status).toBe(200);
      expect(view.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await view.arrayBuffer()).equals(red16)).toBe(true);
      expect((await get('/view?filename=missing.png&type=output')).status).toBe(404);

      const done = fake.waitFor('prompt-finished');
      const queued = await post('/prompt', {
        prompt: {
          '1': { class_type: 'LoadImage', inputs: { image: 'red16.png' } },
          '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
          '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'smoke_upload' } },
        },
        client_id: 'smoke',
      });
      const { prompt_id: promptId } = (await queued.json()) as { prompt_id: string };
      expect(await done).toEqual({ promptId, status: 'success' });
      const history = (await (await get(`/history/${promptId}`)).json()) as Record<string, unknown>;
      const recorded = Object.values(smoke.get('GET /history/ddf3a820-9311-455e-bfc3-a8802d65948b')?.body as Record<string, unknown>)[0];
      expect(shapeOf(history[promptId])).toEqual(shapeOf(recorded));
      expect((history[promptId] as { outputs: unknown }).outputs).toEqual({ '3': { images: [{ filename: 'smoke_upload_00001_.png', subfolder: '', type: 'output' }] } });

      const output = await get('/view?filename=smoke_upload_00001_.png&type=output');
      expect(output.headers.get('content-type')).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await output.arrayBuffer()));
      expect([png.width, png.height]).toEqual([16, 16]);
      expect([...png.data.subarray(0, 3)]).toEqual([0, 255, 255]); // "output pixel(0,0)= (0, 255, 255)"

      const latest = (await (await get('/history?max_items=1')).json()) as Record<string, unknown>;
      expect(Object.keys(latest)).toEqual([promptId]);
    });

    it('answers the idle queue, prompt, history, interrupt, clear, embeddings and root like the recording', async () => {
      expect(await (await get('/queue')).json()).toEqual(smoke.get('GET /queue')?.body);
      expect(await (await get('/prompt')).json()).toEqual(smoke.get('GET /prompt')?.body);
      expect(await (await get('/history/unknown-id')).json()).toEqual({});
      const interrupt = await post('/interrupt', '');
      expect([interrupt.status, await interrupt.text()]).toEqual([200, '']);
      expect((await post('/queue', { clear: true })).status).toBe(200);
      expect(await (await get('/embeddings')).json()).toEqual([]);
      expect((await get('/')).status).toBe(200);
    });
  });

  describe('routing and errors', () => {
    it('serves every route under /api too, answers 404 text for unknown paths and 405 for wrong methods', async () => {
      expect(await (await get('/api/prompt')).json()).toEqual({ exec_info: { queue_remaining: 0 } });
      const missing = await get('/nope');
      expect([missing.status, await missing.text()]).toEqual([404, '404: Not Found']);
      const wrongMethod = await fetch(`${fake.url}/queue`, { method: 'PUT' });
      expect([wrongMethod.status, await wrongMethod.text()]).toEqual([405, '405: Method Not Allowed']);
    });

    it('answers 500 text for malformed bodies on /queue, /history and /free', async () => {
      for (const path of ['/queue', '/history', '/free']) {
        const response = await post(path, '{oops');
        expect([path, response.status, await response.text()]).toEqual([path, 500, '500 Internal Server Error\n\nServer got itself in trouble']);
      }
    });

    it('answers 413 above maxUploadBytes', async () => {
      await fake.stop();
      fake = await FakeComfyServer.start({ maxUploadBytes: 1024 });
      const response = await post('/prompt', { prompt: {}, padding: 'x'.repeat(2000) });
      expect(response.status).toBe(413);
      expect(await response.text()).toMatch(/^Maximum request body size 1024 exceeded/);
      expect((await (await get('/features')).json()) as Record<string, unknown>).toMatchObject({ max_upload_size: 1024 });
    });

    it('guards /view: 400 for ".." or a leading "/", 403 for an escaping subfolder, 400 for an unknown type', async () => {
      fake.addFile({ filename: 'a.png' }, red16);
      expect((await get('/view?filename=a.png')).status).toBe(200);
      expect((await get('/view?filename=../a.png')).status).toBe(400);
      expect((await get('/view?filename=%2Fetc%2Fpasswd')).status).toBe(400);
      expect((await get('/view?filename=a.png&subfolder=../..')).status).toBe(403);
      expect((await get('/view?filename=a.png&type=models')).status).toBe(400);
      expect((await get('/view?filename=a.png%20%5Boutput%5D&type=input')).status).toBe(200);
    });

    it('serves byte ranges of /view files', async () => {
      fake.addFile({ filename: 'blob.bin', subfolder: 'x' }, Buffer.from('0123456789'));
      const response = await fetch(`${fake.url}/view?filename=blob.bin&subfolder=x`, { headers: { Range: 'bytes=2-5' } });
      expect([response.status, response.headers.get('content-range'), await response.text()]).toEqual([206, 'bytes 2-5/10', '2345']);
    });

    it('renames an upload with other bytes to "stem (k).ext" and reuses the name for identical bytes', async () => {
      const upload = async (bytes: Buffer) =>
        (await (await fetch(`${fake.url}/upload/image`, { method: 'POST', body: uploadForm({}, { name: 'pic.png', bytes }) })).json()) as { name: string };
      const blue = solidPng(4, 4, [0, 0, 255]);
      expect((await upload(red16)).name).toBe('pic.png');
      expect((await upload(blue)).name).toBe('pic (1).png');
      expect((await upload(red16)).name).toBe('pic.png');
      expect((await upload(blue)).name).toBe('pic (1).png');
      expect((await upload(solidPng(2, 2, [0, 255, 0]))).name).toBe('pic (2).png');
      const info = (await (await get('/object_info/LoadImage')).json()) as { LoadImage: { input: { required: { image: [string[]] } } } };
      expect(info.LoadImage.input.required.image[0]).toEqual(['pic (1).png', 'pic (2).png', 'pic.png']);
      const badType = await fetch(`${fake.url}/upload/image`, { method: 'POST', body: uploadForm({ type: 'models' }, { name: 'x.png', bytes: red16 }) });
      expect(badType.status).toBe(500);
    });
  });

  describe('POST /prompt', () => {
    const tiny = (prefix = 'tiny') => ({
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: prefix } },
    });

    it('counts every POST without number (failures too), negates with front, echoes a given number as a float', async () => {
      const numberOf = async (body: unknown) => (await post('/prompt', body)).text();
      expect(await numberOf({ prompt: tiny() })).toMatch(/"number":0,/);
      expect((await post('/prompt', { prompt: { '1': { class_type: 'Nope', inputs: {} } } })).status).toBe(400); // counter -> 2
      expect(await numberOf({ prompt: tiny(), front: true })).toMatch(/"number":-2,/);
      expect(await numberOf({ prompt: tiny(), number: 5 })).toMatch(/"number":5\.0,/);
      expect(await numberOf({ prompt: tiny(), number: 2.5 })).toMatch(/"number":2\.5,/);
      expect(await numberOf({ prompt: tiny() })).toMatch(/"number":3,/);
    });

    it('uses a client-given prompt_id verbatim and counts POSTs per id', async () => {
      const done = fake.waitFor('prompt-finished', (e) => e.promptId === 'my-id');
      expect(await (await post('/prompt', { prompt: tiny(), prompt_id: 'my-id' })).json()).toEqual({ prompt_id: 'my-id', number: 0, node_errors: {} });
      await done;
      expect(fake.stats.promptPosts.get('my-id')).toBe(1);
      expect(Object.keys(await (await get('/history/my-id')).json())).toEqual(['my-id']);
    });

    it('queues the valid outputs and reports the others in node_errors (200)', async () => {
      const done = fake.waitFor('prompt-finished');
      const response = await post('/prompt', {
        prompt: {
          ...tiny(),
          '3': { class_type: 'EmptyImage', inputs: { width: 99999, height: 8, batch_size: 1, color: 0 } },
          '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'bad' } },
        },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { node_errors: Record<string, { errors: { type: string; message: string }[]; dependent_outputs: string[] }> };
      expect(body.node_errors['3']?.errors[0]).toMatchObject({ type: 'value_bigger_than_max', message: 'Value 99999 bigger than max of 16384' });
      expect(body.node_errors['3']?.dependent_outputs).toEqual(['4']);
      const { promptId } = await done;
      expect(fake.historyOf(promptId)?.prompt[4]).toEqual(['2']);
    });

    it('reports combo values not in the list and wrong literal types', async () => {
      const response = await post('/prompt', {
        prompt: {
          '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'missing.safetensors' } },
          '2': { class_type: 'EmptyImage', inputs: { width: 'wide', height: 8, batch_size: 1, color: 0 } },
          '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } },
          '4': { class_type: 'CLIPTextEncode', inputs: { text: 'a', clip: ['1', 1] } },
          '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
          '6': { class_type: 'KSampler', inputs: { model: ['1', 0], seed: 1, steps: 1, cfg: 1, sampler_name: 'euler', scheduler: 'normal', positive: ['4', 0], negative: ['4', 0], latent_image: ['5', 0], denoise: 1 } },
          '7': { class_type: 'VAEDecode', inputs: { samples: ['6', 0], vae: ['1', 2] } },
          '8': { class_type: 'SaveImage', inputs: { images: ['7', 0], filename_prefix: 'y' } },
        },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { type: string }; node_errors: Record<string, { errors: { type: string; details: string }[] }> };
      expect(body.error.type).toBe('prompt_outputs_failed_validation');
      expect(body.node_errors['1']?.errors[0]).toMatchObject({
        type: 'value_not_in_list',
        details: "ckpt_name: 'missing.safetensors' not in ['ltx-video-2b-v0.9.5.safetensors', 'sd_xl_base_1.0.safetensors', 'v1-5-pruned-emaonly.safetensors']",
      });
      expect(body.node_errors['2']?.errors[0]).toMatchObject({ type: 'invalid_input_type', details: "width, wide, invalid literal for int() with base 10: 'wide'" });
    });

    it('answers 500 for invalid JSON and 400 no_prompt without a prompt', async () => {
      expect((await post('/prompt', '{not json')).status).toBe(500);
      expect((await post('/prompt', { client_id: 'x' })).status).toBe(400);
    });

    it('honours partial_execution_targets', async () => {
      const done = fake.waitFor('prompt-finished');
      const response = await post('/prompt', { prompt: { ...tiny('a'), '3': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'b' } } }, partial_execution_targets: ['3'] });
      const { prompt_id: promptId } = (await response.json()) as { prompt_id: string };
      await done;
      expect(Object.keys(fake.historyOf(promptId)?.outputs ?? {})).toEqual(['3']);
    });
  });

  describe('history, queue and cache', () => {
    const tiny = { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 7 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'h' } } };
    const run = async (id: string) => {
      const done = fake.waitFor('prompt-finished', (e) => e.promptId === id);
      await post('/prompt', { prompt: tiny, prompt_id: id });
      return done;
    };

    it('pages history with max_items and offset, deletes and clears it', async () => {
      for (const id of ['a', 'b', 'c']) await run(id);
      expect(Object.keys(await (await get('/history')).json())).toEqual(['a', 'b', 'c']);
      expect(Object.keys(await (await get('/history?max_items=2')).json())).toEqual(['b', 'c']);
      expect(Object.keys(await (await get('/history?offset=1&max_items=1')).json())).toEqual(['b']);
      expect((await get('/history?max_items=x')).status).toBe(500);
      await post('/history', { delete: ['b'] });
      expect(Object.keys(await (await get('/history')).json())).toEqual(['a', 'c']);
      await post('/history', { clear: true });
      expect(await (await get('/history')).json()).toEqual({});
    });

    it('serves an unchanged prompt from the cache until POST /free {free_memory: true}', async () => {
      const cachedNodes = async (id: string) => {
        await run(id);
        return (fake.historyOf(id)?.status?.messages[1]?.[1] as { nodes: string[] }).nodes;
      };
      expect(await cachedNodes('one')).toEqual([]);
      expect(await cachedNodes('two')).toEqual(['1', '2']);
      expect(fake.historyOf('two')?.outputs).toEqual(fake.historyOf('one')?.outputs);
      expect((await post('/free', { free_memory: true })).status).toBe(200);
      expect(await cachedNodes('three')).toEqual([]);
      expect(fake.historyOf('three')?.outputs).toEqual({ '2': { images: [{ filename: 'h_00002_.png', subfolder: '', type: 'output' }] } });
    });

    it('never caches with cache: false', async () => {
      await fake.stop();
      fake = await FakeComfyServer.start({ cache: false });
      await run('x');
      await run('y');
      expect((fake.historyOf('y')?.status?.messages[1]?.[1] as { nodes: string[] }).nodes).toEqual([]);
    });

    it('deletes pending prompts with POST /queue {delete} and {clear}', async () => {
      const release = fake.holdQueue();
      for (const id of ['p1', 'p2', 'p3']) await post('/prompt', { prompt: tiny, prompt_id: id });
      const deleted = fake.waitFor('queue-deleted');
      await post('/queue', { delete: ['p2', 'unknown'] });
      expect(await deleted).toEqual({ promptIds: ['p2'] });
      expect(fake.queueSnapshot().queue_pending.map((item) => item[1]).sort()).toEqual(['p1', 'p3']);
      await post('/queue', { clear: true });
      expect(fake.queueSnapshot()).toEqual({ queue_running: [], queue_pending: [] });
      release();
    });
  });

  describe('node catalog', () => {
    it('removes excluded classes from object_info and rejects prompts using them', async () => {
      await fake.stop();
      fake = await FakeComfyServer.start({ exclude: ['KSampler'] });
      const info = (await (await get('/object_info')).json()) as Record<string, unknown>;
      expect(info).not.toHaveProperty('KSampler');
      expect(info).toHaveProperty('SaveImage');
      expect(await (await get('/object_info/KSampler')).json()).toEqual({});
      const response = await post('/prompt', { prompt: { '1': { class_type: 'KSampler', inputs: {} } } });
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Cannot execute because node KSampler does not exist.');
    });

    it('lists model folders and files', async () => {
      expect(await (await get('/models')).json()).toContain('checkpoints');
      expect(await (await get('/models/checkpoints')).json()).toContain('v1-5-pruned-emaonly.safetensors');
      expect((await get('/models/nope')).status).toBe(404);
    });
  });
});
