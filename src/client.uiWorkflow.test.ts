import { lastValueFrom, toArray } from 'rxjs';
import { countingFetch } from './__fixtures__/countingFetch';
import { uiTxt2img } from './__fixtures__/uiWorkflows';
import { ComfyClient } from './client';
import { ComfyMissingNodeTypesError } from './errors';
import { FakeComfyServer } from './testing/FakeComfyServer';

describe('ComfyClient.run with UI workflows, on the fake', () => {
  let fake: FakeComfyServer;
  beforeAll(async () => (fake = await FakeComfyServer.start()));
  afterAll(() => fake.stop());

  it('converts with the server /object_info, runs, and carries the UI workflow in extra_pnginfo', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    const workflow = uiTxt2img('ui-run', 'a red fox', 777);
    try {
      const events = await lastValueFrom(comfy.run(workflow).pipe(toArray()));
      const done = events.at(-1)!;
      expect(done.type).toBe('done');
      const entry = fake.historyOf((done as { promptId: string }).promptId)!;
      const [, , prompt, extraData] = entry.prompt as [number, string, Record<string, { class_type: string; inputs: Record<string, unknown> }>, Record<string, unknown>];
      expect(Object.keys(prompt).sort()).toEqual(['3', '4', '5', '6', '7', '8', '9']);
      expect(prompt['3']!.inputs).toMatchObject({ seed: 777, model: ['4', 0], positive: ['6', 0], negative: ['7', 0], latent_image: ['5', 0] });
      expect(prompt['8']!.inputs).toEqual({ samples: ['3', 0], vae: ['4', 2] });
      expect(extraData).toMatchObject({ extra_pnginfo: { workflow } });
    } finally {
      comfy.close();
    }
  });

  it('fetches /object_info once for concurrent runs and keeps it for later ones', async () => {
    const { fetch, counter } = countingFetch();
    const comfy = new ComfyClient({ url: fake.url, fetch });
    try {
      const runs = [1, 2, 3].map((seed) => lastValueFrom(comfy.run(uiTxt2img(`ui-many-${seed}`, 'a fox', seed))));
      const dones = await Promise.all(runs);
      expect(dones.map((event) => event.type)).toEqual(['done', 'done', 'done']);
      await lastValueFrom(comfy.run(uiTxt2img('ui-later', 'a fox', 9)));
      expect(counter.objectInfo).toBe(1);
    } finally {
      comfy.close();
    }
  });

  it('a type missing from the cached /object_info: fetched again once, and the run succeeds when the server has it now', async () => {
    const { fetch, counter } = countingFetch((answer, call) => {
      if (call > 1) return answer;
      const { VAEDecode: _removed, ...rest } = answer;
      return rest;
    });
    const comfy = new ComfyClient({ url: fake.url, fetch });
    try {
      const [a, b] = await Promise.all([lastValueFrom(comfy.run(uiTxt2img('ui-late-a'))), lastValueFrom(comfy.run(uiTxt2img('ui-late-b', 'x', 2)))]);
      expect([a.type, b.type]).toEqual(['done', 'done']);
      expect(counter.objectInfo).toBe(2);
    } finally {
      comfy.close();
    }
  });

  it('types the server does not have: ComfyMissingNodeTypesError listing them, after one refetch', async () => {
    const { fetch, counter } = countingFetch();
    const comfy = new ComfyClient({ url: fake.url, fetch });
    const workflow = uiTxt2img('ui-missing');
    (workflow['nodes'] as { id: number; type: string }[]).push({ id: 40, type: 'FancyUpscaler' } as never, { id: 41, type: 'AnotherPackNode' } as never);
    try {
      const error = await lastValueFrom(comfy.run(workflow)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ComfyMissingNodeTypesError);
      expect((error as ComfyMissingNodeTypesError).missing).toEqual(['AnotherPackNode', 'FancyUpscaler']);
      expect(counter.objectInfo).toBe(2);
    } finally {
      comfy.close();
    }
  });

  it('toApiPrompt() on the client converts without running; an API prompt passes as it is', async () => {
    const comfy = new ComfyClient({ url: fake.url });
    try {
      const { prompt } = await lastValueFrom(comfy.toApiPrompt(uiTxt2img('x', 'a cat')));
      expect(prompt['6']).toEqual({ class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] }, _meta: { title: 'Positive Prompt' } });
      const api = { '1': { class_type: 'EmptyImage', inputs: {} } };
      expect((await lastValueFrom(comfy.toApiPrompt(api))).prompt).toBe(api);
    } finally {
      comfy.close();
    }
  });
});
