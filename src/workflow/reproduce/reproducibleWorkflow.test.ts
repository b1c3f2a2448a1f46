import realObjectInfo from '../__fixtures__/object_info-0.8.0.json';
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { UiGraph } from '../__fixtures__/uiGraph';
import { toApiPrompt } from '../convert/toApiPrompt';
import type { ApiPrompt } from '../apiPrompt';
import { reproducibleWorkflow } from './reproducibleWorkflow';

/** What a run changed on the converted prompt (the CLI's --set, seeds, a batch's text). */
function changed(prompt: ApiPrompt, edit: (prompt: ApiPrompt) => void): ApiPrompt {
  const copy = structuredClone(prompt);
  edit(copy);
  return copy;
}

/** A run's prompt and the workflow written for it must convert to that prompt, node by node. */
function expectReproduces(ui: Record<string, unknown>, posted: ApiPrompt, info: unknown = objectInfo) {
  const made = reproducibleWorkflow(ui, info, posted);
  expect(made.kind).toBe('reproduces');
  if (made.kind !== 'reproduces') return made;
  const again = toApiPrompt(made.workflow, info, { random: () => 0.9 }).prompt;
  for (const id of Object.keys(posted)) expect({ id, inputs: again[id]!.inputs }).toEqual({ id, inputs: posted[id]!.inputs });
  expect(Object.keys(again).sort()).toEqual(Object.keys(posted).sort());
  return made;
}

function txt2img() {
  const g = new UiGraph();
  const ckpt = g.node('CheckpointLoaderSimple', ['sd15.safetensors'], { outputs: ['MODEL', 'CLIP', 'VAE'] });
  const positive = g.node('CLIPTextEncode', ['a {red|green} fox'], { title: 'Positive', inputs: [['clip', 'CLIP']], outputs: ['CONDITIONING'] });
  const latent = g.node('EmptyLatentImage', [512, 512, 1], { outputs: ['LATENT'] });
  const sampler = g.node('KSampler', [42, 'randomize', 20, 8, 'euler', 'normal', 1], { inputs: [['model', 'MODEL'], ['positive', 'CONDITIONING'], ['negative', 'CONDITIONING'], ['latent_image', 'LATENT']], outputs: ['LATENT'] });
  const decode = g.node('VAEDecode', undefined, { inputs: [['samples', 'LATENT'], ['vae', 'VAE']], outputs: ['IMAGE'] });
  const save = g.node('SaveImage', ['fox_%KSampler.seed%'], { inputs: [['images', 'IMAGE']] });
  g.link(ckpt, 1, positive, 'clip');
  g.link(ckpt, 0, sampler, 'model');
  g.link(positive, 0, sampler, 'positive');
  g.link(positive, 0, sampler, 'negative');
  g.link(latent, 0, sampler, 'latent_image');
  g.link(sampler, 0, decode, 'samples');
  g.link(ckpt, 2, decode, 'vae');
  g.link(decode, 0, save, 'images');
  return g.workflow();
}

describe('reproducibleWorkflow', () => {
  it('writes a run\'s text, seed and size back into the widgets; a resolved dynamic prompt and a prefix built from the seed settle', () => {
    const ui = txt2img();
    const posted = changed(toApiPrompt(ui, realObjectInfo, { random: () => 0.7 }).prompt, (p) => {
      p['2']!.inputs.text = 'a blue fox';
      p['4']!.inputs.seed = 43;
      p['3']!.inputs.width = 32;
    });
    const made = expectReproduces(ui, posted, realObjectInfo);
    if (made?.kind !== 'reproduces') return;
    const nodes = made.workflow.nodes as { id: number; widgets_values: unknown[] }[];
    expect(nodes.find((n) => n.id === 4)!.widgets_values).toEqual([43, 'randomize', 20, 8, 'euler', 'normal', 1]);
    expect(nodes.find((n) => n.id === 2)!.widgets_values).toEqual(['a blue fox']);
    expect(nodes.find((n) => n.id === 6)!.widgets_values).toEqual(['fox_42']); // the prefix the run used, made from the seed before --set
    expect((ui.nodes as { id: number; widgets_values: unknown[] }[]).find((n) => n.id === 4)!.widgets_values[0]).toBe(42); // the input is not changed
  });

  it('a widget fed by a PrimitiveNode: the value goes into the primitive', () => {
    const g = new UiGraph();
    const primitive = g.node('PrimitiveNode', [16, 'fixed'], { outputs: ['INT'] });
    const image = g.node('EmptyImage', [8, 8, 1, 0], { inputs: [['width', 'INT', true]], outputs: ['IMAGE'] });
    g.link(primitive, 0, image, 'width');
    const ui = g.workflow();
    const posted = changed(toApiPrompt(ui, objectInfo).prompt, (p) => void (p['2']!.inputs.width = 96));
    const made = expectReproduces(ui, posted);
    if (made?.kind === 'reproduces') expect((made.workflow.nodes as { widgets_values: unknown[] }[])[0]!.widgets_values).toEqual([96, 'fixed']);
  });

  it('a value promoted by a subgraph instance goes into the instance; a value past the saved ones is appended', () => {
    const d = new UiGraph();
    const scale = d.node('ImageScale', ['bilinear', 64, 32, 'disabled'], { id: 5, inputs: [['image', 'IMAGE'], ['width', 'INT', true], ['height', 'INT', true]], outputs: ['IMAGE'] });
    d.fromInput('image', 'IMAGE', scale, 'image');
    d.fromInput('width', 'INT', scale, 'width');
    d.toOutput('IMAGE', scale, 0);
    const g = new UiGraph();
    const source = g.node('EmptyImage', [8, 8], { id: 1, outputs: ['IMAGE'] });
    const instance = g.node('scale-def', [100], { id: 12, inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'] });
    g.link(source, 0, instance, 'image');
    const ui = g.workflow({ definitions: { subgraphs: [d.definition('scale-def', 'Scale')] } });
    const posted = changed(toApiPrompt(ui, objectInfo).prompt, (p) => {
      p['12:5']!.inputs.width = 300;
      p['1']!.inputs.color = 255;
    });
    const made = expectReproduces(ui, posted);
    if (made?.kind !== 'reproduces') return;
    const nodes = made.workflow.nodes as { id: number; widgets_values: unknown[] }[];
    expect(nodes.find((n) => n.id === 12)!.widgets_values).toEqual([300]);
    expect(nodes.find((n) => n.id === 1)!.widgets_values).toEqual([8, 8, 1, 255]); // the default the run sent for batch_size fills the gap
  });

  it('what the workflow cannot hold is listed: an added input, a changed link, an added node', () => {
    const ui = txt2img();
    const prompt = toApiPrompt(ui, realObjectInfo).prompt;
    const cases: [(p: ApiPrompt) => void, string][] = [
      [(p) => void (p['4']!.inputs.extra = 1), 'no widget of the workflow holds this value'],
      [(p) => void (p['4']!.inputs.negative = ['3', 0]), 'the run changed a link'],
      [(p) => void (p['99'] = { class_type: 'EmptyImage', inputs: {}, _meta: { title: 'x' } }), 'the run added this node'],
    ];
    for (const [edit, reason] of cases) {
      const made = reproducibleWorkflow(ui, realObjectInfo, changed(prompt, edit));
      expect(made).toEqual({ kind: 'unplaced', unplaced: [expect.objectContaining({ reason })] });
    }
  });
});
