import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import { ComfyClient } from '../client';
import { ComfyExecutionError, ComfyOptionsError } from '../errors';
import type { PromptEvent } from '../prompt/events';
import { FakeComfyServer } from '../testing/FakeComfyServer';
import { UiGraph } from '../workflow/__fixtures__/uiGraph';
import { ComfyInputError } from './errors';
import { inputFile } from './inputFile';
import { resolveInputs } from './resolveInputs';

/** A picture with a different colour per pixel, so a wrong or shifted file shows. */
function gradient(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set([x * 30, y * 30, 250 - x * 10, 255], (y * width + x) * 4);
  return PNG.sync.write(image);
}

/** ComfyUI's float32 inverse of an 8-bit sample (LoadImage /255, ImageInvert 1-x, SaveImage *255 truncated). */
const inverse = (v: number): number => Math.floor(Math.fround(255 * Math.fround(1 - Math.fround(v / 255))));

const invertWorkflow = (image: unknown, prefix = 'inv') => ({
  '10': { class_type: 'LoadImage', inputs: { image }, _meta: { title: 'Load Image' } },
  '11': { class_type: 'ImageInvert', inputs: { image: ['10', 0] } },
  '12': { class_type: 'SaveImage', inputs: { images: ['11', 0], filename_prefix: prefix } },
});

describe('input files in runs', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  let dir: string;
  let photoPath: string;
  const photo = gradient(6, 5);

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url });
    dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-run-inputs-'));
    photoPath = join(dir, 'photo.png');
    writeFileSync(photoPath, photo);
  });
  afterEach(async () => {
    comfy.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (workflow: Record<string, unknown>, options = {}) => lastValueFrom(comfy.run(workflow, options).pipe(toArray()));
  const queuedOf = (events: PromptEvent[]) => events.find((event) => event.type === 'queued') as Extract<PromptEvent, { type: 'queued' }>;
  const outputPixels = async (events: PromptEvent[]) => {
    const done = events.find((event) => event.type === 'done') as Extract<PromptEvent, { type: 'done' }>;
    const ref = (done.outputs['12']?.images as Array<{ filename: string; subfolder: string; type: string }>)[0]!;
    const response = await fetch(`${fake.url}/view?filename=${ref.filename}&type=${ref.type}`);
    return PNG.sync.read(Buffer.from(await response.arrayBuffer()));
  };

  it('an inputFile handle is uploaded and the output is that image inverted, pixel for pixel', async () => {
    const events = await run(invertWorkflow(inputFile(photoPath)));
    const queued = queuedOf(events);
    expect(queued.inputs).toEqual({ '10.inputs.image': expect.stringMatching(/^comfyui-rx\/[0-9a-f]{32}\.png$/) });
    const source = PNG.sync.read(photo);
    const output = await outputPixels(events);
    expect([output.width, output.height]).toEqual([6, 5]);
    const expected = [...source.data].map((value, i) => (i % 4 === 3 ? value : inverse(value)));
    expect([...output.data]).toEqual(expected);
    const history = fake.historyOf(queued.promptId);
    expect((history?.prompt[2] as Record<string, { inputs: Record<string, unknown> }>)['10']?.inputs.image).toBe(queued.inputs?.['10.inputs.image']);
    expect((history?.prompt[3] as { extra_pnginfo?: Record<string, unknown> }).extra_pnginfo?.comfyui_rx_inputs).toEqual({
      '10.inputs.image': { value: queued.inputs?.['10.inputs.image'], source: 'photo.png' },
    });
  });

  it('inputs by node title, as --set takes them; the workflow given is not changed', async () => {
    const workflow = invertWorkflow('placeholder.png');
    const events = await run(workflow, { inputs: { 'Load Image.inputs.image': photoPath } });
    expect(queuedOf(events).inputs).toEqual({ '10.inputs.image': expect.stringMatching(/^comfyui-rx\//) });
    expect(workflow['10'].inputs.image).toBe('placeholder.png');
    const source = PNG.sync.read(photo);
    expect((await outputPixels(events)).data[0]).toBe(inverse(source.data[0] ?? 0));
  });

  it('a key naming no input of its node fails with ComfyOptionsError listing its inputs; nothing is posted', async () => {
    const error = await run(invertWorkflow('x.png'), { inputs: { '10.inputs.imag': photoPath } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect((error as Error).message).toMatch(/node 10 \(LoadImage\) has no input "imag" \(its inputs: image/);
    const noNode = await run(invertWorkflow('x.png'), { inputs: { 'Load Picture.inputs.image': photoPath } }).catch((caught: unknown) => caught);
    expect((noNode as Error).message).toMatch(/no node has the id or title "Load Picture"/);
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('a source that fails fails the run with ComfyInputError (node, input, source); nothing is posted', async () => {
    const missing = join(dir, 'missing.png');
    const error = await run(invertWorkflow(inputFile(missing))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyInputError);
    expect(error).toMatchObject({ node: '10', input: 'image', source: missing, reason: 'not-found' });
    expect((error as Error).message).toMatch(/^Input 10\.inputs\.image: /);
    expect(fake.stats.promptPosts.size).toBe(0);
  });

  it('a text file given to LoadImage reaches the caller typed (the run fails in LoadImage, as on ComfyUI 0.8.0)', async () => {
    const note = join(dir, 'note.txt');
    writeFileSync(note, 'not a picture');
    const error = await run(invertWorkflow(inputFile(note))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyExecutionError);
    expect(error).toMatchObject({ nodeId: '10', exceptionType: 'PIL.UnidentifiedImageError' });
  });

  it('validates offline with the uploaded names known to exist', async () => {
    const events = await run(invertWorkflow(inputFile(photoPath)), { validate: true });
    expect(events.at(-1)?.type).toBe('done');
  });

  it('resolves handles in a UI-format workflow (a Load node widget) and embeds the stored name, not the handle', async () => {
    const g = new UiGraph();
    const load = g.node('LoadImage', [inputFile(photoPath), 'image'], { id: 1, outputs: ['IMAGE', 'MASK'] });
    const invert = g.node('ImageInvert', undefined, { id: 2, inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
    const save = g.node('SaveImage', ['ui-inv'], { id: 3, inputs: [['images', 'IMAGE']] });
    g.link(load, 0, invert, 'image');
    g.link(invert, 0, save, 'images');
    const events = await run(g.workflow());
    const queued = queuedOf(events);
    expect(queued.inputs).toEqual({ '1.inputs.image': expect.stringMatching(/^comfyui-rx\//) });
    const extra = fake.historyOf(queued.promptId)?.prompt[3] as { extra_pnginfo: { workflow: { nodes: Array<{ id: number; widgets_values: unknown[] }> } } };
    expect(extra.extra_pnginfo.workflow.nodes.find((node) => node.id === 1)?.widgets_values[0]).toBe(queued.inputs?.['1.inputs.image']);
  });

  it('1,000 prompts sharing one image upload it once; the prompts that run use that one file', async () => {
    const requests: string[] = [];
    fake.events.on('http', ({ method, path }) => requests.push(`${method} ${path}`));
    const handle = inputFile(photoPath);
    // what run() does before posting each prompt: half of them share a handle, half name the path afresh
    const resolved = await lastValueFrom(
      from(Array.from({ length: 1000 }, (_, i) => i)).pipe(
        mergeMap((i) => resolveInputs(invertWorkflow(i % 2 ? handle : 'x.png'), i % 2 ? undefined : { '10.inputs.image': photoPath }, comfy.inputFiles), 50),
        toArray(),
      ),
    );
    expect(new Set(resolved.map((entry) => entry.values['10.inputs.image'])).size).toBe(1);
    expect(requests.filter((request) => request.startsWith('POST /upload/'))).toEqual(['POST /upload/image']);
    expect(requests.filter((request) => request === 'HEAD /view')).toHaveLength(1);
    const runs = await lastValueFrom(from(Array.from({ length: 20 }, (_, i) => i)).pipe(mergeMap((i) => comfy.run(invertWorkflow(handle, `many${i}`)).pipe(toArray()), 5), toArray()));
    expect(runs.map((events) => events.at(-1)?.type)).toEqual(Array(20).fill('done'));
    expect(new Set(runs.map((events) => queuedOf(events).inputs?.['10.inputs.image']))).toEqual(new Set(resolved.map((entry) => entry.values['10.inputs.image'])));
    expect(requests.filter((request) => request.startsWith('POST /upload/'))).toHaveLength(1);
  });

  it('a handle whose content was placed once is read once', async () => {
    const handle = inputFile(photoPath);
    await run(invertWorkflow(handle));
    rmSync(photoPath); // the content stays known: the second run needs neither the file nor a request
    const second = await run(invertWorkflow(handle, 'again'));
    expect(second.at(-1)?.type).toBe('done');
  });
});
