import { NodeDefinition } from '../protocol/objectInfo';
import { validatePrompt } from '../workflow/validate/validatePrompt';
import { FakeComfyServer } from './FakeComfyServer';
import { NodeCatalog } from './nodes/catalog';
import { DEFAULT_MODEL_FOLDERS } from './nodes/modelFiles';

describe('FakeComfyServer /object_info', () => {
  let fake: FakeComfyServer;
  beforeAll(async () => {
    fake = await FakeComfyServer.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  const objectInfo = async () => (await (await fetch(`${fake.url}/object_info`)).json()) as Record<string, Record<string, unknown>>;

  it('lists every class of its catalog, each a complete definition with input_order naming exactly its inputs', async () => {
    const info = await objectInfo();
    expect(Object.keys(info)).toEqual(new NodeCatalog(DEFAULT_MODEL_FOLDERS).names());
    for (const [name, raw] of Object.entries(info)) {
      const definition = NodeDefinition.parse(raw);
      expect(definition.name).toBe(name);
      for (const category of ['required', 'optional', 'hidden'] as const) {
        expect([name, category, definition.input_order?.[category] ?? []]).toEqual([name, category, Object.keys(definition.input[category] ?? {})]);
      }
      expect(definition.output_name).toHaveLength(definition.output.length);
      expect(definition.output_is_list).toHaveLength(definition.output.length);
    }
  });

  // Offline validation against what the fake serves gives what the fake answers: one rule, one implementation.
  const prompts: Record<string, unknown> = {
    valid: { '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    outOfRange: { '1': { class_type: 'EmptyImage', inputs: { width: 0, height: '8', batch_size: 1 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    wrongLink: { '1': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    missingNode: { '2': { class_type: 'ImageInvert', inputs: { image: ['99', 0] } }, '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'x' } } },
    missingFile: { '1': { class_type: 'LoadImage', inputs: { image: 'nope.png' } }, '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } } },
    badCombo: { '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'nope.safetensors' } } },
    noInputs: { '1': { class_type: 'SaveImage' } },
    noOutputs: { '1': { class_type: 'EmptyImage', inputs: {} } },
    unknownClass: { '1': { class_type: 'Nope', inputs: {} } },
  };

  it.each(Object.entries(prompts))('answers %s as validatePrompt does over its /object_info', async (_name, prompt) => {
    const offline = validatePrompt(prompt, await objectInfo());
    const response = await fetch(`${fake.url}/prompt`, { method: 'POST', body: JSON.stringify({ prompt }) });
    expect(response.status).toBe(offline.status);
    const body: unknown = await response.json();
    if (offline.status === 200) expect(body).toMatchObject({ node_errors: offline.node_errors });
    else expect(body).toEqual({ error: offline.error, node_errors: offline.node_errors });
  });
});
