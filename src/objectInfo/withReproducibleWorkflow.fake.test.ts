/**
 * The workflow a run embeds, on the fake: what the run changed is written back (a dynamic prompt's
 * text, an input file's stored name); what has no place leaves the API prompt as the one to re-run.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ComfyClient } from '../client';
import { FakeComfyServer } from '../testing/FakeComfyServer';
import { UiGraph } from '../workflow/__fixtures__/uiGraph';
import { withEmbeddedWorkflow } from '../workflow/embedded/withEmbeddedWorkflow';
import { readEmbeddedWorkflow } from '../workflow/embedded';

type Entry = { class_type: string; inputs: Record<string, unknown> };
type Node = { id: number; widgets_values?: unknown[] };

describe('the UI workflow a run embeds', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  const records: Record<string, unknown>[] = [];
  beforeAll(async () => {
    fake = await FakeComfyServer.start();
    const logs = new Writable({ write: (chunk: Buffer, _encoding, done) => (records.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) });
    comfy = new ComfyClient({ url: fake.url, lingerMs: 0, logger: pino({ level: 'warn' }, logs) });
  });
  beforeEach(() => (records.length = 0));
  afterAll(async () => {
    comfy.close();
    await fake.stop();
  });
  const stored = (promptId: string) => fake.historyOf(promptId)!.prompt as [number, string, Record<string, Entry>, { extra_pnginfo?: { workflow?: { nodes: Node[] } } }];

  /** LoadImage -> ImageInvert -> SaveImage, the prefix from a dynamic prompt. */
  function loadInvertSave() {
    const g = new UiGraph();
    const load = g.node('LoadImage', ['missing.png', 'image'], { outputs: ['IMAGE', 'MASK'] });
    const invert = g.node('ImageInvert', undefined, { inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
    const save = g.node('SaveImage', ['run_{a|b}'], { inputs: [['images', 'IMAGE']] });
    g.link(load, 0, invert, 'image');
    g.link(invert, 0, save, 'images');
    return g.workflow();
  }

  it('an input file placed for the run is written into the widget that loads it; the saved PNG carries it', async () => {
    const photo = path.join(__dirname, '..', 'workflow', 'embedded', '__fixtures__', 'SaveImage.png');
    const done = await comfy.runAsync(loadInvertSave(), { inputs: { '1.inputs.image': photo } });
    const [, , prompt, extra] = stored(done.promptId);
    const nodes = extra.extra_pnginfo!.workflow!.nodes;
    expect(nodes.find((node) => node.id === 1)!.widgets_values).toEqual([prompt['1']!.inputs.image, 'image']);
    expect(prompt['1']!.inputs.image).not.toBe('missing.png');
    expect(records).toEqual([]);
    const file = (done.outputs['3'] as { images: { filename: string }[] }).images[0]!;
    const png = Buffer.from(await (await fetch(`${fake.url}/view?filename=${file.filename}&type=output`)).arrayBuffer());
    expect((readEmbeddedWorkflow(png).workflow as { nodes: Node[] }).nodes.find((node) => node.id === 3)!.widgets_values).toEqual([prompt['3']!.inputs.filename_prefix]);
  });

  it('a value no widget holds: a warning names it and the files carry the API prompt alone', async () => {
    const ui = { ...loadInvertSave() };
    const done = await comfy.runAsync(
      {
        '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 3 } },
        '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
        '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'api' } },
      },
      withEmbeddedWorkflow({}, ui),
    );
    expect(stored(done.promptId)[3].extra_pnginfo).toEqual({});
    expect(records).toEqual([expect.objectContaining({ level: 40, msg: expect.stringContaining('the outputs embed the API prompt instead of the UI workflow, which cannot hold what this run changed: 1 (the run made it a EmptyImage') })]);
  });
});
