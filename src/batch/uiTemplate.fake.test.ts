import { lastValueFrom, toArray } from 'rxjs';
import { uiTxt2img } from '../__fixtures__/uiWorkflows';
import { generate } from './generate';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import { FakeComfyServer } from '../testing/FakeComfyServer';

type Entry = { class_type: string; inputs: Record<string, unknown> };

describe('generate() with a UI-format template, on the fake', () => {
  let fake: FakeComfyServer;
  let comfy: ComfyClient;
  beforeAll(async () => {
    fake = await FakeComfyServer.start();
    comfy = new ComfyClient({ url: fake.url, lingerMs: 0 });
  });
  afterAll(async () => {
    comfy.close();
    await fake.stop();
  });

  it('converts once, locates by class_type after conversion, writes each description and seed; outputs embed the template with them', async () => {
    const template = uiTxt2img('gen-ui');
    const events = await lastValueFrom(
      generate({ target: comfy, workflow: template, descriptions: ['a red fox', 'a blue whale'], seed: { policy: 'increment', value: 10 } }).pipe(toArray()),
    );
    const done = events.flatMap((event) => (event.type === 'item-done' ? [event] : []));
    expect(done).toHaveLength(2);
    const prompts = events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'queued' ? [event.event.promptId] : []));
    const entries = prompts.map((id) => fake.historyOf(id)!.prompt as [number, string, Record<string, Entry>, Record<string, { workflow?: unknown }>]);
    expect(entries.map(([, , prompt]) => [prompt['6']!.inputs.text, prompt['3']!.inputs.seed])).toEqual([
      ['a red fox', 10],
      ['a blue whale', 11],
    ]);
    // each item's files carry the template with the item's description and seed written back (text widget, seed primitive)
    expect(entries.map(([, , , extra]) => extra['extra_pnginfo']!.workflow)).toEqual([uiTxt2img('gen-ui', 'a red fox', 10), uiTxt2img('gen-ui', 'a blue whale', 11)]);
  });

  it('paths may name nodes by title; an ambiguous title is an options error listing the nodes', async () => {
    const template = uiTxt2img('gen-title');
    const events = await lastValueFrom(
      generate({ target: comfy, workflow: template, descriptions: ['a fox'], paths: { text: 'Negative Prompt.inputs.text' } }).pipe(toArray()),
    );
    const id = events.flatMap((event) => (event.type === 'prompt' && event.event.type === 'queued' ? [event.event.promptId] : []))[0]!;
    const prompt = (fake.historyOf(id)!.prompt as [number, string, Record<string, Entry>])[2];
    expect(prompt['7']!.inputs.text).toBe('a fox');
    expect(prompt['6']!.inputs.text).toBe('a red fox');

    for (const node of template['nodes'] as { id: number; title?: string }[]) if (node.id === 6 || node.id === 7) node.title = 'Prompt';
    const error = await lastValueFrom(generate({ target: comfy, workflow: template, descriptions: ['x'], paths: { text: 'Prompt.inputs.text' } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ComfyOptionsError);
    expect((error as Error).message).toContain('2 nodes are titled "Prompt": 6 (CLIPTextEncode), 7 (CLIPTextEncode)');
  });
});
