import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { lastValueFrom, toArray } from 'rxjs';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import type { InputFile } from '../inputs/inputFile';
import { ComfyPool } from '../pool';
import type { Workflow } from '../protocol/api';
import { FakeComfyServer } from '../testing';
import type { BatchEvent } from './batchEvents';
import { ComfyLocateError } from './comfyLocateError';
import { generate } from './generate';
import { image2image } from './image2image';
import { image2video } from './image2video';
import { stageOutputs } from './stageOutputs';

const load = (name: string): Workflow => JSON.parse(readFileSync(join(__dirname, '../../examples/workflows', name), 'utf8')) as Workflow;
const small = (workflow: Workflow): Workflow => {
  const copy = structuredClone(workflow);
  for (const node of Object.values(copy)) {
    if ('steps' in node.inputs) node.inputs.steps = 2;
    if (node.class_type === 'LTXVImgToVideo') Object.assign(node.inputs, { width: 64, height: 64, length: 9 });
    if (node.class_type === 'EmptyLatentImage') Object.assign(node.inputs, { width: 32, height: 32 });
    if (node.class_type === 'EmptyLTXVLatentVideo') Object.assign(node.inputs, { width: 64, height: 64, length: 9 });
  }
  return copy;
};

function png(rgb: readonly number[]): Buffer {
  const image = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([...rgb, 255], i);
  return PNG.sync.write(image);
}

const itemsOf = (events: BatchEvent[]) => events.filter((event) => event.type === 'item-done' || event.type === 'item-failed');
const summaryOf = (events: BatchEvent[]) => (events.at(-1) as Extract<BatchEvent, { type: 'summary' }>).summary;
const doneWorkflows = (fake: FakeComfyServer, events: BatchEvent[]) =>
  events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'done' ? [fake.historyOf(event.event.promptId)?.prompt[2] as Record<string, { class_type: string; inputs: Record<string, unknown> }>] : []));

describe('image strategies and chained stages (FakeComfyServer)', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  let dir: string;
  let out: string;
  let uploads: number;

  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url, lingerMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-img-batch-'));
    out = join(dir, 'out');
    uploads = 0;
    fake.events.on('http', ({ method, path }) => method === 'POST' && path.startsWith('/upload/') && uploads++);
    writeFileSync(join(dir, '2.png'), png([200, 0, 0]));
    writeFileSync(join(dir, '10.png'), png([0, 200, 0]));
    writeFileSync(join(dir, 'notes.txt'), 'not an input');
  });
  afterEach(async () => {
    comfy.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('image2video over a folder times the descriptions: one item per input and description, each input uploaded once', async () => {
    const folder = join(dir, 'stills');
    mkdirSync(folder);
    writeFileSync(join(folder, '10.png'), png([0, 200, 0]));
    writeFileSync(join(folder, '2.png'), png([200, 0, 0]));
    writeFileSync(join(folder, 'notes.txt'), 'not an input');
    const events = await lastValueFrom(
      generate({ target: comfy, workflow: small(load('image2video.json')), inputs: { dir: folder }, descriptions: ['slow zoom', 'pan left'], strategy: image2video(), seed: { policy: 'increment', value: 5 }, out: { dir: out } }).pipe(toArray()),
    );
    expect(summaryOf(events)).toMatchObject({ total: 4, done: 4, failed: 0 });
    expect(itemsOf(events).map((event) => event.item.label)).toEqual([
      '[1/4] input 1/2 2.png, description 1/2, video 1/1',
      '[2/4] input 1/2 2.png, description 2/2, video 1/1',
      '[3/4] input 2/2 10.png, description 1/2, video 1/1',
      '[4/4] input 2/2 10.png, description 2/2, video 1/1',
    ]);
    expect(uploads).toBe(2);
    const prompts = doneWorkflows(fake, events);
    expect(prompts.map((prompt) => prompt['6']?.inputs.text)).toEqual(['slow zoom', 'pan left', 'slow zoom', 'pan left']);
    expect(new Set(prompts.map((prompt) => prompt['78']?.inputs.image)).size).toBe(2);
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^1-2-1-1-5-img2vid_00001_\.webp$/), expect.stringMatching(/^2-10-2-1-8-img2vid_\d+_\.webp$/)]));
  });

  it('image2image without descriptions keeps the template text; outputs differ per input', async () => {
    writeFileSync(join(dir, '1.png'), png([0, 0, 200]));
    const inputs = [join(dir, '1.png'), join(dir, '2.png')];
    const events = await lastValueFrom(generate({ target: comfy, workflow: small(load('image2image.json')), inputs, perDescription: 2, strategy: image2image(), seed: { policy: 'fixed', value: 7 } }).pipe(toArray()));
    expect(summaryOf(events)).toMatchObject({ total: 4, done: 4 });
    const prompts = doneWorkflows(fake, events);
    expect(prompts.map((prompt) => prompt['6']?.inputs.text)).toEqual(Array(4).fill('a watercolor painting, soft light, detailed'));
    const images = events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'done' ? [JSON.stringify(event.event.outputs)] : []));
    const views = await Promise.all(
      images.map(async (outputs) => {
        const ref = (JSON.parse(outputs) as Record<string, { images: Array<{ filename: string }> }>)['9']?.images[0];
        return Buffer.from(await (await fetch(`${fake.url}/view?filename=${ref?.filename}&type=output`)).arrayBuffer()).toString('base64');
      }),
    );
    expect(views[0]).toBe(views[1]); // same input, same seed: same picture
    expect(views[0]).not.toBe(views[2]); // another input: another picture
  });

  it('refuses what does not fit: descriptions for a template without text, inputs for text2image, two Load nodes', () => {
    const noText = small(load('image2image.json'));
    noText['3']!.inputs.positive = ['12', 0];
    expect(() => generate({ target: comfy, workflow: noText, inputs: [join(dir, '1.png')], descriptions: ['x'] })).toThrow(ComfyLocateError);
    expect(() => generate({ target: comfy, workflow: small(load('text2image.json')), inputs: [join(dir, '1.png')], descriptions: ['x'], strategy: undefined })).toThrow(/image/);
    const twoLoads = small(load('image2image.json'));
    twoLoads['20'] = { class_type: 'LoadImage', inputs: { image: 'mask.png' } };
    expect(() => generate({ target: comfy, workflow: twoLoads, inputs: [join(dir, '1.png')] })).toThrow(ComfyOptionsError);
    expect(() => generate({ target: comfy, workflow: twoLoads, inputs: [join(dir, '1.png')], paths: { image: '10.inputs.image' } })).not.toThrow();
    expect(() => generate({ target: comfy, workflow: small(load('image2image.json')), strategy: image2image(), descriptions: ['x'] })).toThrow(/inputs/);
    expect(() => generate({ target: comfy, workflow: small(load('image2image.json')), inputs: { dir: join(dir, 'nowhere') } })).toThrow(/cannot read the folder/);
  });

  it('chains text-to-image into image-to-video on the same server: the stills are used where they are, no upload', async () => {
    const stills = await lastValueFrom(generate({ target: comfy, workflow: small(load('text2image.json')), descriptions: ['a fox', 'a lighthouse'] }).pipe(stageOutputs(comfy), toArray()));
    expect(stills).toHaveLength(2);
    const events = await lastValueFrom(generate({ target: comfy, workflow: small(load('image2video.json')), inputs: stills, strategy: image2video() }).pipe(toArray()));
    expect(summaryOf(events)).toMatchObject({ total: 2, done: 2 });
    expect(doneWorkflows(fake, events).map((prompt) => prompt['78']?.inputs.image)).toEqual([expect.stringMatching(/^ComfyUI_\d+_\.png \[output\]$/), expect.stringMatching(/ \[output\]$/)]);
    expect(uploads).toBe(0);
  });

  it('chains across servers: a still made on one server is downloaded and uploaded to the server that animates it', async () => {
    const other = await FakeComfyServer.start();
    let otherUploads = 0;
    other.events.on('http', ({ method, path }) => method === 'POST' && path.startsWith('/upload/') && otherUploads++);
    const pool = new ComfyPool({ servers: [{ url: fake.url, name: 'a' }, { url: other.url, name: 'b' }], strategy: (_candidates, request) => (JSON.stringify(request.workflow).includes('LTXVImgToVideo') ? 'b' : 'a') });
    try {
      const stills: InputFile[] = await lastValueFrom(generate({ target: pool, workflow: small(load('text2image.json')), descriptions: ['a fox'] }).pipe(stageOutputs(pool), toArray()));
      const events = await lastValueFrom(generate({ target: pool, workflow: small(load('image2video.json')), inputs: stills, strategy: image2video() }).pipe(toArray()));
      expect(summaryOf(events)).toMatchObject({ total: 1, done: 1 });
      expect([uploads, otherUploads]).toEqual([0, 1]);
      const still = fake.listFiles('output').find((file) => file.path.endsWith('.png'));
      const copied = other.listFiles('input').find((file) => file.path.startsWith('comfyui-rx/'));
      const stillBytes = Buffer.from(await (await fetch(`${fake.url}/view?filename=${still?.path}&type=output`)).arrayBuffer());
      expect(copied?.bytes?.equals(stillBytes)).toBe(true);
    } finally {
      pool.close();
      await other.stop();
    }
  });
});
