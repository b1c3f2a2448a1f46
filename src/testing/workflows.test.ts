import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { FakeComfyServer } from './FakeComfyServer';
import { RecordingSocket } from './recordingSocket';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
const WORKFLOWS = join(__dirname, '..', '..', 'examples', 'workflows');
const load = (name: string): Graph => JSON.parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Graph;

/** RIFF chunk ids of a WebP file, in order. */
function webpChunks(bytes: Buffer): string[] {
  const ids: string[] = [];
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    ids.push(bytes.toString('ascii', offset, offset + 4));
    offset += 8 + bytes.readUInt32LE(offset + 4) + (bytes.readUInt32LE(offset + 4) % 2);
  }
  return ids;
}

describe('FakeComfyServer runs the example workflows', () => {
  let fake: FakeComfyServer;
  let socket: RecordingSocket;

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    socket = await RecordingSocket.open(`${fake.url.replace('http', 'ws')}/ws?clientId=wf`);
  });
  afterEach(async () => {
    await socket.close();
    await fake.stop();
  });

  const run = async (prompt: Graph) => {
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt, client_id: 'wf' }) });
    expect(response.status).toBe(200);
    const { prompt_id: promptId } = (await response.json()) as { prompt_id: string };
    expect(await fake.promptFinished(promptId)).toEqual({ promptId, status: 'success' });
    await socket.flush(); // every frame of the run has arrived
    return fake.historyOf(promptId);
  };
  const view = async (ref: { filename: string; subfolder: string; type: string }) => {
    const response = await fetch(`${fake.url}/view?${new URLSearchParams(ref)}`);
    expect(response.status).toBe(200);
    return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  };

  it('text2image.json: 20 sampler steps, then a PNG at /view that depends on seed and prompt text', async () => {
    const graph = load('text2image.json');
    const history = await run(graph);
    const ref = (history?.outputs['9'] as { images: { filename: string; subfolder: string; type: string }[] }).images[0];
    expect(ref).toEqual({ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' });
    const progress = socket.messages.filter((m) => m.type === 'progress').map((m) => (m.data as { value: number; node: string }).value);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const first = await view(ref as { filename: string; subfolder: string; type: string });
    expect(first.type).toBe('image/png');
    const png = PNG.sync.read(first.bytes);
    expect(png.width).toBeGreaterThan(0);

    const reseeded = structuredClone(graph);
    (reseeded['3'] as Graph[string]).inputs.seed = 1;
    const other = await run(reseeded);
    expect(other?.status?.messages[1]?.[1]).toMatchObject({ nodes: ['4', '5', '6', '7'] }); // loader, latent and encoders cached
    const otherRef = (other?.outputs['9'] as { images: { filename: string; subfolder: string; type: string }[] }).images[0];
    expect(otherRef?.filename).toBe('ComfyUI_00002_.png');
    expect((await view(otherRef as { filename: string; subfolder: string; type: string })).bytes.equals(first.bytes)).toBe(false);

    const retexted = structuredClone(graph);
    (retexted['6'] as Graph[string]).inputs.text = 'a red fox in the snow';
    const third = await run(retexted);
    const thirdRef = (third?.outputs['9'] as { images: { filename: string; subfolder: string; type: string }[] }).images[0];
    expect((await view(thirdRef as { filename: string; subfolder: string; type: string })).bytes.equals(first.bytes)).toBe(false);
  });

  it('text2image.json with batch_size 2 saves two numbered files', async () => {
    const graph = load('text2image.json');
    (graph['5'] as Graph[string]).inputs.batch_size = 2;
    (graph['9'] as Graph[string]).inputs.filename_prefix = 'batch/pic';
    const history = await run(graph);
    expect(history?.outputs['9']).toEqual({
      images: [
        { filename: 'pic_00001_.png', subfolder: 'batch', type: 'output' },
        { filename: 'pic_00002_.png', subfolder: 'batch', type: 'output' },
      ],
    });
  });

  it('text2video.json: scheduler steps as progress, then an animated WebP at /view', async () => {
    const history = await run(load('text2video.json'));
    const output = history?.outputs['41'] as { images: { filename: string; subfolder: string; type: string }[]; animated: boolean[] };
    expect(output.animated).toEqual([true]);
    expect(output.images).toEqual([{ filename: 'ComfyUI_00001_.webp', subfolder: '', type: 'output' }]);
    expect(socket.messages.filter((m) => m.type === 'progress')).toHaveLength(30);
    const file = await view(output.images[0] as { filename: string; subfolder: string; type: string });
    expect(file.type).toBe('image/webp');
    expect(file.bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(file.bytes.toString('ascii', 8, 12)).toBe('WEBP');
    const chunks = webpChunks(file.bytes);
    expect(chunks.slice(0, 2)).toEqual(['VP8X', 'ANIM']);
    expect(chunks.filter((id) => id === 'ANMF').length).toBeGreaterThan(1);
  });

  it('text2video.json with SaveAnimatedPNG: an APNG at /view', async () => {
    const graph = load('text2video.json');
    graph['41'] = { class_type: 'SaveAnimatedPNG', inputs: { images: ['8', 0], filename_prefix: 'clip', fps: 24, compress_level: 4 } };
    const history = await run(graph);
    const output = history?.outputs['41'] as { images: { filename: string; subfolder: string; type: string }[]; animated: boolean[] };
    expect(output).toEqual({ images: [{ filename: 'clip_00001_.png', subfolder: '', type: 'output' }], animated: [true] });
    const file = await view(output.images[0] as { filename: string; subfolder: string; type: string });
    expect(file.type).toBe('image/png');
    expect(file.bytes.includes(Buffer.from('acTL'))).toBe(true);
  });
});
