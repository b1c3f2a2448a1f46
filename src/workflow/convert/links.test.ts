/** Test titles cite the hard cases of docs/conversion.md §6 by number (§6.N). */
import { ComfyInvalidUiWorkflowError } from '../../errors';
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { UiGraph } from '../__fixtures__/uiGraph';
import { toApiPrompt } from './toApiPrompt';

const convert = (g: UiGraph, extra?: Record<string, unknown>) => toApiPrompt(g.workflow(extra), objectInfo);
const image = (g: UiGraph, color = 0, spec = {}) => g.node('EmptyImage', [8, 8, 1, color], { outputs: ['IMAGE'], ...spec });
const invert = (g: UiGraph, spec = {}) => g.node('ImageInvert', undefined, { inputs: [['image', 'IMAGE']], outputs: ['IMAGE'], ...spec });
const reroute = (g: UiGraph, spec = {}) => g.node('Reroute', undefined, { inputs: [['', '*']], outputs: ['*'], ...spec });

describe('parsing (§6.1, §6.2, §6.3)', () => {
  it('a schema-1 root (links as objects) converts like the 0.4 form', () => {
    const g = new UiGraph();
    const a = image(g);
    g.link(a, 0, invert(g), 'image');
    expect(toApiPrompt(g.workflowV1(), objectInfo).prompt).toEqual(convert(g).prompt);
    expect(convert(g).prompt['2']!.inputs).toEqual({ image: ['1', 0] });
  });

  it('string slot indices, list and number link types, string node ids', () => {
    const workflow = {
      nodes: [
        { id: 'a', type: 'EmptyImage', widgets_values: [8, 8, 1, 0], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }] },
        { id: 'b', type: 'ImageInvert', inputs: [{ name: 'image', type: ['IMAGE'], link: 1 }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [2] }] },
        { id: 7, type: 'PreviewImage', inputs: [{ name: 'images', type: 0, link: 2 }] },
      ],
      links: [
        [1, 'a', '0', 'b', '0', ['IMAGE']],
        [2, 'b', 0, 7, 0, 0],
      ],
    };
    expect(toApiPrompt(workflow, objectInfo).prompt).toEqual({
      a: expect.objectContaining({ class_type: 'EmptyImage' }),
      b: expect.objectContaining({ inputs: { image: ['a', 0] } }),
      '7': expect.objectContaining({ inputs: { images: ['b', 0] } }),
    });
  });

  it('an input link id missing from the table is an invalid_workflow error naming the path', () => {
    const g = new UiGraph();
    const target = invert(g);
    target.inputs[0]!.link = 99;
    const error = catchError(() => convert(g));
    expect(error).toBeInstanceOf(ComfyInvalidUiWorkflowError);
    expect(error).toMatchObject({ errorType: 'invalid_workflow', details: 'nodes.0.inputs.0.link' });
    expect(error.message).toMatch(/link 99/);
  });

  it('a link from a node that does not exist is an invalid_workflow error', () => {
    const g = new UiGraph();
    const source = image(g);
    g.link(source, 0, invert(g), 'image');
    g.nodes.splice(0, 1);
    expect(catchError(() => convert(g))).toMatchObject({ errorType: 'invalid_workflow', message: expect.stringMatching(/node 1, which does not exist/) });
  });

  it('malformed files name the path of the problem', () => {
    expect(catchError(() => toApiPrompt({ nodes: [{ id: 1 }] }, objectInfo))).toMatchObject({ errorType: 'invalid_workflow', details: 'nodes.0.type' });
    expect(catchError(() => toApiPrompt({ nodes: 'x' }, objectInfo))).toMatchObject({ errorType: 'invalid_workflow', details: 'nodes' });
    expect(catchError(() => toApiPrompt({ nodes: [], definitions: { subgraphs: [{ id: 's' }] } }, objectInfo))).toMatchObject({ details: 'definitions.subgraphs.0.nodes' });
  });
});

describe('virtual nodes (§6.13, §6.14, §6.15, §6.16)', () => {
  it('Note and MarkdownNote are never emitted', () => {
    const g = new UiGraph();
    g.node('Note', ['remember']);
    g.node('MarkdownNote', ['# hi']);
    image(g);
    expect(Object.keys(convert(g).prompt)).toEqual(['3']);
  });

  it('a chain of reroutes feeding several consumers resolves to the real origin', () => {
    const g = new UiGraph();
    const source = image(g);
    const r1 = reroute(g);
    const r2 = reroute(g);
    const [c1, c2] = [invert(g), invert(g)];
    g.link(source, 0, r1, 0);
    g.link(r1, 0, r2, 0);
    g.link(r2, 0, c1, 'image');
    g.link(r2, 0, c2, 'image');
    const { prompt } = convert(g);
    expect(Object.keys(prompt)).toEqual(['1', '4', '5']);
    expect(prompt['4']!.inputs).toEqual({ image: ['1', 0] });
    expect(prompt['5']!.inputs).toEqual({ image: ['1', 0] });
  });

  it('an unconnected reroute: a widget-backed consumer keeps its widget value, a socket-only one gets nothing', () => {
    const g = new UiGraph();
    const r = reroute(g);
    const scale = g.node('ImageScale', ['bilinear', 64, 32, 'disabled'], { inputs: [['image', 'IMAGE'], ['width', 'INT', true]] });
    g.link(r, 0, scale, 'width');
    g.link(r, 0, scale, 'image');
    expect(convert(g).prompt['2']!.inputs).toEqual({ upscale_method: 'bilinear', width: 64, height: 32, crop: 'disabled' });
  });

  it('a reroute cycle is an invalid_workflow error, not a hang', () => {
    const g = new UiGraph();
    const [r1, r2] = [reroute(g), reroute(g)];
    g.link(r1, 0, r2, 0);
    g.link(r2, 0, r1, 0);
    g.link(r2, 0, invert(g), 'image');
    expect(catchError(() => convert(g))).toMatchObject({ errorType: 'invalid_workflow', message: expect.stringMatching(/cycle/) });
  });

  it('a widget input linked from another node: the link wins over the widget value', () => {
    const g = new UiGraph();
    const int = g.node('PrimitiveInt', [640, 'fixed'], { outputs: ['INT'] });
    const scale = g.node('ImageScale', ['bilinear', 64, 32, 'disabled'], { inputs: [['image', 'IMAGE'], ['width', 'INT', true]] });
    g.link(int, 0, scale, 'width');
    expect(convert(g).prompt['2']!.inputs.width).toEqual(['1', 0]);
  });

  it('a renamed slot (label) is sent under its name', () => {
    const g = new UiGraph();
    const target = invert(g, { id: 2 });
    Object.assign(target.inputs[0]!, { label: 'picture' });
    g.link(image(g, 0, { id: 1 }), 0, target, 'image');
    expect(convert(g).prompt['2']!.inputs).toEqual({ image: ['1', 0] });
  });

  it('native reroutes, link extensions, floating links and groups change nothing', () => {
    const g = new UiGraph();
    const id = g.link(image(g), 0, invert(g), 'image');
    const plain = convert(g).prompt;
    const decorated = convert(g, {
      extra: { reroutes: [{ id: 1, pos: [0, 0], linkIds: [id] }, { id: 2, parentId: 1, pos: [5, 5], linkIds: [id] }], linkExtensions: [{ id, parentId: 2 }] },
      floatingLinks: [{ id: 50, origin_id: 1, origin_slot: 0, target_id: -1, target_slot: -1, type: 'IMAGE', parentId: 1 }],
      groups: [{ id: 1, title: 'box', bounding: [0, 0, 10, 10] }],
    }).prompt;
    expect(decorated).toEqual(plain);
  });
});

describe('PrimitiveNode (§6.16)', () => {
  it('pushes its value into every widget it feeds; a socket-only target gets nothing', () => {
    const g = new UiGraph();
    const width = g.node('PrimitiveNode', [320, 'fixed'], { outputs: ['INT'], title: 'width' });
    const a = g.node('EmptyImage', [8, 8, 1, 0], { inputs: [['width', 'INT', true]], outputs: ['IMAGE'] });
    const b = g.node('EmptyLatentImage', [8, 8, 1], { inputs: [['width', 'INT', true]] });
    const sink = g.node('PreviewAny', undefined, { inputs: [['source', '*']] });
    g.link(width, 0, a, 'width');
    g.link(width, 0, b, 'width');
    g.link(width, 0, sink, 'source');
    const { prompt } = convert(g);
    expect(Object.keys(prompt)).toEqual(['2', '3', '4']);
    expect(prompt['2']!.inputs.width).toBe(320);
    expect(prompt['3']!.inputs.width).toBe(320);
    expect(prompt['4']!.inputs).toEqual({});
  });

  it('with "Run widget replace on values" its text goes through the replacements first', () => {
    const g = new UiGraph();
    g.node('KSampler', [9, 'fixed', 20, 8, 'euler', 'normal', 1], { properties: { 'Node name for S&R': 'KSampler' } });
    const text = g.node('PrimitiveNode', ['seed %KSampler.seed%', 'fixed'], { outputs: ['STRING'], properties: { 'Run widget replace on values': true } });
    const encode = g.node('CLIPTextEncode', ['old'], { inputs: [['clip', 'CLIP'], ['text', 'STRING', true]] });
    g.link(text, 0, encode, 'text');
    expect(convert(g).prompt['3']!.inputs.text).toBe('seed 9');
  });
});

describe('muted and bypassed nodes (§6.17, §6.18)', () => {
  it('a muted producer: a widget-backed input keeps its value, a socket input is absent; a muted output node is not emitted', () => {
    const g = new UiGraph();
    const int = g.node('PrimitiveInt', [640, 'fixed'], { outputs: ['INT'], mode: 2 });
    const source = image(g, 0, { mode: 2 });
    const scale = g.node('ImageScale', ['bilinear', 64, 32, 'disabled'], { inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'] });
    g.link(int, 0, scale, 'width');
    g.link(source, 0, scale, 'image');
    g.link(scale, 0, g.node('SaveImage', ['x'], { inputs: [['images', 'IMAGE']], mode: 2 }), 'images');
    const { prompt } = convert(g);
    expect(Object.keys(prompt)).toEqual(['3']);
    expect(prompt['3']!.inputs).toEqual({ upscale_method: 'bilinear', width: 64, height: 32, crop: 'disabled' });
  });

  it('bypass: the same slot when it fits', () => {
    const g = new UiGraph();
    const bypassed = invert(g, { mode: 4 });
    g.link(image(g), 0, bypassed, 'image');
    g.link(bypassed, 0, invert(g), 'image');
    expect(convert(g).prompt['3']!.inputs).toEqual({ image: ['2', 0] });
  });

  it('bypass: the first input of exactly the wanted type elsewhere, then a compatible one (comma lists)', () => {
    const g = new UiGraph();
    const blend = g.node('LatentUpscale', undefined, { inputs: [['samples', 'LATENT'], ['image', 'IMAGE']], outputs: ['LATENT'], mode: 4 });
    g.link(g.node('EmptyLatentImage', [8, 8, 1], { outputs: ['LATENT'] }), 0, blend, 'samples');
    g.link(image(g), 0, blend, 'image');
    const consumer = g.node('ImageInvert', undefined, { inputs: [['image', 'IMAGE']] });
    g.link(blend, 0, consumer, 'image', 'IMAGE');
    expect(convert(g).prompt[String(consumer.id)]!.inputs).toEqual({ image: ['3', 0] });

    const h = new UiGraph();
    const multi = h.node('Multi', undefined, { inputs: [['in1', 'IMAGE,MASK'], ['in2', 'LATENT']], outputs: ['MASK'], mode: 4 });
    h.link(h.node('SolidMask', [1, 8, 8], { outputs: ['MASK'] }), 0, multi, 'in1');
    const mask = h.node('InvertMask', undefined, { inputs: [['mask', 'MASK']] });
    h.link(multi, 0, mask, 'mask');
    expect(convert(h).prompt[String(mask.id)]!.inputs).toEqual({ mask: ['2', 0] });
  });

  it('bypass: a "*" consumer takes the same slot; no match gives nothing with a warning; a matched unconnected input gives nothing', () => {
    const g = new UiGraph();
    const bypassed = invert(g, { mode: 4 });
    g.link(image(g), 0, bypassed, 'image');
    const any = g.node('PreviewAny', undefined, { inputs: [['source', '*']] });
    g.link(bypassed, 0, any, 'source');
    const latent = g.node('VAEDecode', undefined, { inputs: [['samples', 'LATENT'], ['vae', 'VAE']] });
    g.link(bypassed, 0, latent, 'samples', 'LATENT');
    const unconnected = invert(g, { mode: 4 });
    const after = invert(g);
    g.link(unconnected, 0, after, 'image');
    const { prompt, warnings } = convert(g);
    expect(prompt[String(any.id)]!.inputs).toEqual({ source: ['2', 0] });
    expect(prompt[String(latent.id)]!.inputs).toEqual({});
    expect(prompt[String(after.id)]!.inputs).toEqual({});
    expect(warnings).toEqual([expect.objectContaining({ type: 'bypass_no_match', nodeId: '1' })]);
  });

  it('bypass: a bypassed node without inputs gives a "*" consumer nothing, with a warning (no crash)', () => {
    const g = new UiGraph();
    const bypassed = image(g, 0, { mode: 4 });
    const any = g.node('PreviewAny', undefined, { inputs: [['source', '*']] });
    g.link(bypassed, 0, any, 'source');
    const { prompt, warnings } = convert(g);
    expect(prompt[String(any.id)]!.inputs).toEqual({});
    expect(warnings).toEqual([expect.objectContaining({ type: 'bypass_no_match', nodeId: '1' })]);
  });

  it('chains of bypassed nodes, with reroutes and a primitive in between', () => {
    const g = new UiGraph();
    const source = image(g);
    const b1 = invert(g, { mode: 4 });
    const r = reroute(g);
    const b2 = invert(g, { mode: 4 });
    const width = g.node('PrimitiveNode', [99, 'fixed'], { outputs: ['INT'] });
    const scale = g.node('ImageScale', ['bilinear', 64, 32, 'disabled'], { inputs: [['image', 'IMAGE'], ['width', 'INT', true]] });
    g.link(source, 0, b1, 'image');
    g.link(b1, 0, r, 0);
    g.link(r, 0, b2, 'image');
    g.link(b2, 0, scale, 'image');
    g.link(width, 0, scale, 'width');
    expect(convert(g).prompt[String(scale.id)]!.inputs).toEqual({ upscale_method: 'bilinear', width: 99, height: 32, crop: 'disabled', image: ['1', 0] });
  });
});

describe('KJNodes Set/Get (§6.19)', () => {
  it('a GetNode forwards the input of the SetNode of its name; missing and duplicate setters warn', () => {
    const g = new UiGraph();
    const source = image(g);
    const set = g.node('SetNode', ['pic'], { inputs: [['IMAGE', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(source, 0, set, 'IMAGE');
    const get = g.node('GetNode', ['pic'], { outputs: ['IMAGE'] });
    const consumer = invert(g);
    g.link(get, 0, consumer, 'image');
    const lost = g.node('GetNode', ['nothing'], { outputs: ['IMAGE'] });
    const orphan = invert(g);
    g.link(lost, 0, orphan, 'image');
    const { prompt, warnings } = convert(g);
    expect(Object.keys(prompt)).toEqual(['1', String(consumer.id), String(orphan.id)]);
    expect(prompt[String(consumer.id)]!.inputs).toEqual({ image: ['1', 0] });
    expect(prompt[String(orphan.id)]!.inputs).toEqual({});
    expect(warnings).toEqual([expect.objectContaining({ type: 'missing_setter', nodeId: String(lost.id) })]);

    const second = g.node('SetNode', ['pic'], { inputs: [['IMAGE', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(image(g, 5), 0, second, 'IMAGE');
    expect(convert(g).warnings.map((w) => w.type).sort()).toEqual(['duplicate_setter', 'missing_setter']);
  });
});

describe('what is emitted (§6.20)', () => {
  it('unreachable nodes are still emitted, and a prompt with no output node converts', () => {
    const g = new UiGraph();
    image(g);
    g.link(image(g), 0, invert(g), 'image');
    expect(Object.keys(convert(g).prompt)).toEqual(['1', '2', '3']);
  });

  it('_meta.title: the saved title, else the display name', () => {
    const g = new UiGraph();
    image(g, 0, { title: 'Canvas' });
    invert(g);
    const { prompt } = convert(g);
    expect(prompt['1']!._meta).toEqual({ title: 'Canvas' });
    expect(prompt['2']!._meta).toEqual({ title: 'Invert Image' });
  });
});

function catchError(run: () => unknown): Error & Record<string, unknown> {
  try {
    run();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected an error');
}
