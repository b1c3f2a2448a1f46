import { FakeComfyServer } from './FakeComfyServer';
import { RecordingSocket } from './recordingSocket';

/** Execution behaviour the recordings do not cover. */
describe('FakeComfyServer execution', () => {
  let fake: FakeComfyServer;
  let socket: RecordingSocket;
  const post = async (body: Record<string, unknown>) => {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ client_id: 'ex', ...body }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { prompt_id: string }).prompt_id;
  };
  const types = () => socket.messages.map((m) => m.type);

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    socket = await RecordingSocket.open(`${fake.url.replace('http', 'ws')}/ws?clientId=ex`);
  });
  afterEach(async () => {
    await socket.close();
    await fake.stop();
  });

  it('rejects a dependency cycle as ComfyUI 0.8.0 does (recorded: 400, empty details and node_errors)', async () => {
    const response = await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({
        client_id: 'ex',
        prompt: {
          '1': { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
          '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
          '3': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'c' } },
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
      node_errors: {},
    });
  });

  it('turns a node crash into execution_error with current_inputs, then status and executing null', async () => {
    const id = await post({ prompt: { '1': { class_type: 'ImageInvert', inputs: { image: 'not an image' } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'c' } } } });
    expect(await fake.promptFinished(id)).toEqual({ promptId: id, status: 'error' });
    await socket.flush();
    expect(types().slice(-3)).toEqual(['execution_error', 'status', 'executing']);
    expect(socket.messages.find((m) => m.type === 'execution_error')?.data).toMatchObject({
      node_id: '1',
      node_type: 'ImageInvert',
      exception_type: 'TypeError',
      current_inputs: { image: ['not an image'] },
    });
  });

  it('discards an interrupt sent while idle (the flag is cleared when a prompt starts)', async () => {
    const interrupt = fake.waitFor('interrupt');
    await fetch(`${fake.url}/interrupt`, { method: 'POST' });
    expect(await interrupt).toEqual({ hit: false });
    const id = await post({ prompt: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 1 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'i' } } } });
    expect(await fake.promptFinished(id)).toEqual({ promptId: id, status: 'success' });
  });

  it('reports an interrupt during simulated node latency at the next node (nodes do not poll)', async () => {
    fake.setNodeLatency((classType) => (classType === 'ImageInvert' ? 80 : 0));
    const prompt = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 2 } },
      '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'l' } },
    };
    const executing = fake.waitFor('node-executing', (e) => e.node === '2');
    const id = await post({ prompt });
    await executing;
    await fetch(`${fake.url}/interrupt`, { method: 'POST', body: JSON.stringify({ prompt_id: id }) });
    expect(await fake.promptFinished(id)).toEqual({ promptId: id, status: 'interrupted' });
    expect(fake.historyOf(id)?.status?.messages[2]?.[1]).toMatchObject({ node_id: '3', node_type: 'SaveImage', executed: ['1', '2'] });
  });

  it('applies POST /free after the running prompt, not during it', async () => {
    const prompt = (steps: number) => ({
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 3 } },
      '2': { class_type: 'SlowProgress', inputs: { image: ['1', 0], steps, delay_ms: 10 } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'f' } },
    });
    const first = await post({ prompt: prompt(2) });
    await fake.promptFinished(first);
    const second = await post({ prompt: prompt(3) }); // node 1 cached from the first run
    await fake.waitFor('progress', (e) => e.promptId === second);
    await fetch(`${fake.url}/free`, { method: 'POST', body: JSON.stringify({ free_memory: true }) });
    await fake.promptFinished(second);
    expect(fake.historyOf(second)?.status?.messages[1]?.[1]).toMatchObject({ nodes: ['1'] });
    const third = await post({ prompt: prompt(3) }); // identical to the second, but the cache was freed
    await fake.promptFinished(third);
    expect(fake.historyOf(third)?.status?.messages[1]?.[1]).toMatchObject({ nodes: [] });
  });

  it('honours extra_data.preview_method per prompt', async () => {
    const graph = {
      '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
      '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'x', clip: ['4', 1] } },
      '3': { class_type: 'KSampler', inputs: { seed: 5, steps: 2, cfg: 7, sampler_name: 'euler', scheduler: 'normal', denoise: 1, model: ['4', 0], positive: ['6', 0], negative: ['6', 0], latent_image: ['5', 0] } },
      '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
      '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'p' } },
    };
    const id = await post({ prompt: graph, extra_data: { preview_method: 'auto' } });
    await fake.promptFinished(id);
    await socket.flush();
    expect(socket.frames.filter((f) => f.kind === 'binary' && f.eventType === 1)).toHaveLength(2);
    expect(fake.historyOf(id)?.prompt[3]).toMatchObject({ preview_method: 'auto', client_id: 'ex' });
  });

  it('broadcasts progress, progress_state and previews of a prompt without client_id, but no lifecycle messages', async () => {
    const response = await fetch(`${fake.url}/prompt`, {
      method: 'POST',
      body: JSON.stringify({
        prompt: {
          '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 4 } },
          '2': { class_type: 'SlowProgress', inputs: { image: ['1', 0], steps: 2, delay_ms: 1, send_preview: true } },
          '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'n' } },
        },
      }),
    });
    const { prompt_id: id } = (await response.json()) as { prompt_id: string };
    await fake.promptFinished(id);
    await socket.flush();
    expect([...new Set(socket.frames.map((f) => (f.kind === 'text' ? f.message.type : `binary:${f.eventType}`)))]).toEqual(['status', 'progress_state', 'progress', 'binary:1']);
  });
});
