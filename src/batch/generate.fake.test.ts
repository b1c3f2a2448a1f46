import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lastValueFrom, map, toArray } from 'rxjs';
import text2imageJson from '../../examples/workflows/text2image.json';
import text2videoJson from '../../examples/workflows/text2video.json';
import { ComfyClient } from '../client';
import { ComfyExecutionError, ComfyHttpError } from '../errors';
import { Workflow } from '../protocol/api';
import { FakeComfyServer } from '../testing';
import type { BatchEvent, BatchSummary } from './batchEvents';
import { type BatchTarget, clientTarget } from './batchTarget';
import { generate } from './generate';
import { text2image } from './text2image';
import { text2video } from './text2video';

const imageTemplate = Workflow.parse(text2imageJson);
const videoTemplate = Workflow.parse(text2videoJson);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const summaryOf = (events: BatchEvent[]): BatchSummary => {
  const last = events.at(-1);
  if (last?.type !== 'summary') throw new Error(`the last event is ${last?.type}, not summary`);
  return last.summary;
};
const savedPaths = (events: BatchEvent[]) => events.flatMap((e) => (e.type === 'saved' ? [e.file.path] : []));

/** Every file under `root`, recursively, relative to it. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

describe('generate against FakeComfyServer (real sockets)', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  let root: string;
  let dir: string;
  beforeEach(async () => {
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url, lingerMs: 0 });
    root = await mkdtemp(path.join(os.tmpdir(), 'comfyui-rx-batch-'));
    dir = path.join(root, 'out');
  });
  afterEach(async () => {
    await fake.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('text2image, 2 descriptions x 2 images: 4 PNG files with the pattern names, different per seed, on ONE WebSocket connection', async () => {
    const events = await lastValueFrom(
      generate({
        target: comfy,
        workflow: imageTemplate,
        descriptions: ['a red fox in the snow', 'a lighthouse at night'],
        perDescription: 2,
        strategy: text2image({ width: 64, height: 64, steps: 2 }),
        seed: { policy: 'increment', value: 1000 },
        out: { dir, pattern: '{d}-{i}-{seed}-{name}' },
      }).pipe(toArray()),
    );
    expect(summaryOf(events)).toMatchObject({ total: 4, done: 4, failed: 0, skipped: 0, files: 4 });
    expect(summaryOf(events).perItemMs).toHaveLength(4);
    expect(await tree(dir)).toEqual(['1-1-1000-ComfyUI_00001_.png', '1-2-1001-ComfyUI_00002_.png', '2-1-1002-ComfyUI_00003_.png', '2-2-1003-ComfyUI_00004_.png']);
    expect(savedPaths(events)).toEqual((await tree(dir)).map((f) => path.join(dir, f)));
    const contents = await Promise.all((await tree(dir)).map((f) => readFile(path.join(dir, f))));
    for (const png of contents) expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(new Set(contents.map((png) => png.toString('base64'))).size).toBe(4);
    expect(fake.stats.wsConnectionsTotal).toBe(1);
    // every item's prompt reached the server with its own description and seed
    const prompts = events.flatMap((e) => (e.type === 'prompt' && e.event.type === 'queued' ? [e.event.promptId] : []));
    expect(prompts).toHaveLength(4);
    const submitted = prompts.map((id) => fake.historyOf(id)?.prompt[2] as Record<string, { inputs: Record<string, unknown> }>);
    expect(submitted.map((p) => [p['6']?.inputs.text, p['3']?.inputs.seed])).toEqual([
      ['a red fox in the snow', 1000],
      ['a red fox in the snow', 1001],
      ['a lighthouse at night', 1002],
      ['a lighthouse at night', 1003],
    ]);
  });

  it('item events carry their place and come in order: item-start, prompt events, saved, item-done', async () => {
    const events = await lastValueFrom(
      generate({ target: comfy, workflow: imageTemplate, descriptions: ['a', 'b'], strategy: text2image({ width: 64, height: 64, steps: 1 }), out: { dir } }).pipe(toArray()),
    );
    const shape = events.map((e) => (e.type === 'summary' ? 'summary' : `${e.item.index}:${e.type === 'prompt' ? e.event.type : e.type}`));
    const firstItem = shape.filter((s) => s.startsWith('0:'));
    expect(firstItem[0]).toBe('0:item-start');
    expect(firstItem.slice(-3)).toEqual(['0:done', '0:saved', '0:item-done']);
    expect(shape.indexOf('1:item-start')).toBe(shape.indexOf('0:item-done') + 1);
    expect(shape.at(-1)).toBe('summary');
    const start = events.find((e) => e.type === 'item-start' && e.item.index === 1);
    expect(start?.type === 'item-start' && start.item.label).toBe('[2/2] description 2/2, image 1/1');
  });

  it('text2video writes animated WebP files', async () => {
    const events = await lastValueFrom(
      generate({
        target: comfy,
        workflow: videoTemplate,
        descriptions: ['a drone shot over a misty forest', 'waves at sunset'],
        strategy: text2video({ width: 64, height: 64, length: 9, steps: 2 }),
        out: { dir, pattern: '{d}-{slug}-{name}' },
      }).pipe(toArray()),
    );
    expect(summaryOf(events)).toMatchObject({ total: 2, done: 2, failed: 0, files: 2 });
    const files = await tree(dir);
    expect(files).toEqual(['1-a-drone-shot-over-a-misty-forest-ComfyUI_00001_.webp', '2-waves-at-sunset-ComfyUI_00002_.webp']);
    for (const name of files) {
      const webp = await readFile(path.join(dir, name));
      expect(webp.toString('latin1', 0, 4)).toBe('RIFF');
      expect(webp.toString('latin1', 8, 12)).toBe('WEBP');
      expect(webp.toString('latin1', 12, 16)).toBe('VP8X');
      expect(webp[20]! & 0x02).toBe(0x02); // VP8X animation flag
      expect(webp.includes(Buffer.from('ANMF'))).toBe(true);
    }
    const saved = events.flatMap((e) => (e.type === 'saved' ? [e.file] : []));
    expect(saved.every((f) => f.animated && f.kind === 'images')).toBe(true);
    expect(fake.stats.wsConnectionsTotal).toBe(1);
  });

  it('a failing item (FailAlways) is reported with its typed error and the batch goes on', async () => {
    const base = clientTarget(comfy);
    // the server fails the item whose description asks for it: a FailAlways node feeds its SaveImage
    const target: BatchTarget = {
      ...base,
      run: (workflow, options) => {
        if (workflow['6']?.inputs.text !== 'fail me') return base.run(workflow, options);
        return base.run(
          {
            ...workflow,
            '50': { class_type: 'FailAlways', inputs: { image: ['8', 0], message: 'planned failure' } },
            '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['50', 0] } },
          },
          options,
        );
      },
    };
    const events = await lastValueFrom(
      generate({ target, workflow: imageTemplate, descriptions: ['ok', 'fail me', 'ok too'], strategy: text2image({ width: 64, height: 64, steps: 1 }), out: { dir, pattern: '{d}' } }).pipe(
        toArray(),
      ),
    );
    const failed = events.filter((e) => e.type === 'item-failed');
    expect(failed).toHaveLength(1);
    const failure = failed[0]?.type === 'item-failed' ? failed[0] : undefined;
    expect(failure?.item.description).toBe('fail me');
    expect(failure?.error).toBeInstanceOf(ComfyExecutionError);
    expect(failure?.error).toMatchObject({ nodeId: '50', nodeType: 'FailAlways' });
    expect(failure?.error.message).toContain('planned failure');
    expect(summaryOf(events)).toMatchObject({ total: 3, done: 2, failed: 1, skipped: 0, files: 2 });
    expect(await tree(dir)).toEqual(['1.png', '3.png']);
    expect(fake.stats.wsConnectionsTotal).toBe(1);
  });

  it('hostile file names answered by the server cannot write outside the output folder', async () => {
    const base = clientTarget(comfy);
    const hostile = [
      { filename: '../../../escape.png', subfolder: '', type: 'output' },
      { filename: '/etc/evil.png', subfolder: '../..', type: 'output' },
      { filename: '..\\..\\win.png', subfolder: '', type: 'output' },
      { filename: 'nul\u0000.png', subfolder: '', type: 'output' },
      { filename: 'CON', subfolder: '', type: 'output' },
      { filename: `${'x'.repeat(300)}.png`, subfolder: '', type: 'output' },
      { filename: '..', subfolder: '', type: 'output' },
    ];
    fake.addFile({ filename: 'payload.png' }, Buffer.from('payload'));
    const served: string[] = [];
    // the server's history answers hostile names; /view serves them from a real file of the fake
    const target: BatchTarget = {
      ...base,
      run: (workflow, options) =>
        base.run(workflow, options).pipe(map((event) => (event.type === 'done' ? { ...event, outputs: { '9': { images: hostile } } } : event))),
      httpFor: () => ({
        endpoint: comfy.http.endpoint,
        view: (file) => {
          served.push(file.filename);
          return comfy.http.view({ filename: 'payload.png', subfolder: '', type: 'output' });
        },
      }),
    };
    for (const pattern of ['{name}', '{d}/{name}.{ext}']) {
      const events = await lastValueFrom(
        generate({ target, workflow: imageTemplate, descriptions: ['a'], strategy: text2image({ width: 64, height: 64, steps: 1 }), out: { dir, pattern } }).pipe(toArray()),
      );
      expect(summaryOf(events)).toMatchObject({ done: 1, files: hostile.length });
    }
    expect(served).toEqual([...hostile, ...hostile].map((f) => f.filename));
    const written = await tree(root);
    expect(written).toHaveLength(2 * hostile.length);
    for (const file of written) {
      const relative = path.relative(dir, path.join(root, file));
      expect(relative.split(path.sep)).not.toContain('..');
      expect(path.isAbsolute(relative)).toBe(false);
      expect(await readFile(path.join(root, file), 'utf8')).toBe('payload');
    }
  });

  it('a download the server refuses (404) fails the item with ComfyHttpError and leaves no file', async () => {
    const base = clientTarget(comfy);
    fake.addFile({ filename: 'present.png' }, Buffer.alloc(10_000, 1));
    const listed = [
      { filename: 'present.png', subfolder: '', type: 'output' },
      { filename: 'missing.png', subfolder: '', type: 'output' },
    ];
    const target: BatchTarget = {
      ...base,
      run: (workflow, options) => base.run(workflow, options).pipe(map((event) => (event.type === 'done' ? { ...event, outputs: { '9': { images: listed } } } : event))),
    };
    const events = await lastValueFrom(
      generate({ target, workflow: imageTemplate, descriptions: ['a'], strategy: text2image({ width: 64, height: 64, steps: 1 }), out: { dir, pattern: '{name}' } }).pipe(toArray()),
    );
    const failed = events.find((e) => e.type === 'item-failed');
    expect(failed?.type === 'item-failed' && failed.error).toBeInstanceOf(ComfyHttpError);
    expect(failed?.type === 'item-failed' && failed.error).toMatchObject({ status: 404, method: 'GET' });
    expect(summaryOf(events)).toMatchObject({ done: 0, failed: 1, files: 1 });
    expect(await tree(dir)).toEqual(['present.png']); // the first file is complete; nothing of the second, no temp file
  });

  it('never overwrites silently: the same batch twice into one folder keeps both sets', async () => {
    const batch = () =>
      lastValueFrom(
        generate({ target: comfy, workflow: imageTemplate, descriptions: ['same'], strategy: text2image({ width: 64, height: 64, steps: 1 }), seed: { policy: 'fixed', value: 5 }, out: { dir, pattern: '{d}-{seed}' } }).pipe(
          toArray(),
        ),
      );
    await batch();
    await batch();
    expect(await tree(dir)).toEqual(['1-5 (1).png', '1-5.png']);
  });

  it('unsubscribing cancels the running item on the server and submits no other', async () => {
    fake.setNodeLatency((classType) => (classType === 'KSampler' ? 2_000 : 0));
    const interrupted = fake.waitFor('prompt-finished', (p) => p.status === 'interrupted');
    const batch$ = generate({ target: comfy, workflow: imageTemplate, descriptions: ['a', 'b', 'c'], strategy: text2image({ width: 64, height: 64, steps: 2 }), out: { dir } });
    const firstStarted = fake.waitFor('prompt-started');
    const subscription = batch$.subscribe();
    const { promptId } = await firstStarted;
    subscription.unsubscribe();
    expect((await interrupted).promptId).toBe(promptId);
    expect(fake.stats.promptPosts.size).toBe(1);
    expect(await readdir(root)).toEqual([]);
  });
});
