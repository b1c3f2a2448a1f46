/** Test titles cite the hard cases of docs/conversion.md §6 by number (§6.N). */
import { ComfyMissingNodeTypesError, ComfyValidationError } from '../../errors';
import { objectInfo } from '../__fixtures__/testObjectInfo';
import { type NodeSpec, UiGraph } from '../__fixtures__/uiGraph';
import { toApiPrompt } from './toApiPrompt';

const SCALE = ['bilinear', 64, 32, 'disabled'];
const scaleSpec = (extra: NodeSpec = {}): NodeSpec => ({ inputs: [['image', 'IMAGE'], ['width', 'INT', true], ['height', 'INT', true]], outputs: ['IMAGE'], ...extra });

/** Definition "scale": image + width (promoted) -> ImageScale 5 -> IMAGE. */
function scaleDefinition(id = 'scale-def') {
  const d = new UiGraph();
  const scale = d.node('ImageScale', SCALE, scaleSpec({ id: 5 }));
  d.fromInput('image', 'IMAGE', scale, 'image');
  d.fromInput('width', 'INT', scale, 'width');
  d.toOutput('IMAGE', scale, 0);
  d.node('Note', ['inside'], { id: 9 });
  d.node('MarkdownNote', ['# inside'], { id: 10 });
  return d.definition(id, 'Scale');
}
const instanceSpec = (id: number, values?: unknown[], extra: NodeSpec = {}): [unknown, NodeSpec] => [values, { id, inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'], ...extra }];

/** Root: EmptyImage 1 -> instance(s) -> PreviewImage. */
function rootWith(definitions: Record<string, unknown>[], instances: [number, unknown[] | undefined, NodeSpec?][], type = 'scale-def') {
  const g = new UiGraph();
  const source = g.node('EmptyImage', [8, 8, 1, 0], { id: 1, outputs: ['IMAGE'] });
  const made = instances.map(([id, values, extra]) => {
    const [widgets, spec] = instanceSpec(id, values, extra);
    const instance = g.node(type, widgets, spec);
    g.link(source, 0, instance, 'image');
    const preview = g.node('PreviewImage', undefined, { id: 100 + id, inputs: [['images', 'IMAGE']] });
    g.link(instance, 0, preview, 'images');
    return instance;
  });
  return { g, made, workflow: () => g.workflow({ definitions: { subgraphs: definitions } }) };
}

describe('subgraphs: instances (§6.21, §6.22, §6.1)', () => {
  it('one instance: interior ids are instance:inner, links in from outside and out to the consumer; interior notes never emitted', () => {
    const { workflow } = rootWith([scaleDefinition()], [[12, [100]]]);
    const { prompt } = toApiPrompt(workflow(), objectInfo);
    expect(Object.keys(prompt).sort()).toEqual(['1', '112', '12:5']);
    expect(prompt['12:5']).toEqual({ class_type: 'ImageScale', inputs: { upscale_method: 'bilinear', width: 100, height: 32, crop: 'disabled', image: ['1', 0] }, _meta: { title: 'Upscale Image' } });
    expect(prompt['112']!.inputs).toEqual({ images: ['12:5', 0] });
  });

  it('two instances of one definition with different promoted values', () => {
    const { workflow } = rootWith([scaleDefinition()], [[12, [100]], [13, [200]]]);
    const { prompt } = toApiPrompt(workflow(), objectInfo);
    expect(prompt['12:5']!.inputs.width).toBe(100);
    expect(prompt['13:5']!.inputs.width).toBe(200);
    expect(prompt['113']!.inputs).toEqual({ images: ['13:5', 0] });
  });

  it('nested two deep (12:7:5) with a definition declared inside another, the promoted value crossing both boundaries', () => {
    const outer = new UiGraph();
    const inner = outer.node('scale-def', [250], { id: 7, inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'] });
    outer.fromInput('image', 'IMAGE', inner, 'image');
    outer.fromInput('width', 'INT', inner, 'width');
    outer.toOutput('IMAGE', inner, 0);
    const { workflow } = rootWith([outer.definition('outer-def', 'Outer', [scaleDefinition()])], [[12, [300]]], 'outer-def');
    const { prompt } = toApiPrompt(workflow(), objectInfo);
    expect(Object.keys(prompt).sort()).toEqual(['1', '112', '12:7:5']);
    expect(prompt['12:7:5']!.inputs).toMatchObject({ width: 300, image: ['1', 0] });
    expect(prompt['112']!.inputs).toEqual({ images: ['12:7:5', 0] });
  });

  it('a schema-0.4 root with schema-1 definitions (both link forms in one file)', () => {
    const { workflow } = rootWith([scaleDefinition()], [[12, [100]]]);
    const file = workflow();
    expect(Array.isArray((file['links'] as unknown[])[0])).toBe(true);
    expect(((file['definitions'] as { subgraphs: { links: unknown[] }[] }).subgraphs[0]!.links[0] as object).constructor).toBe(Object);
    expect(toApiPrompt(file, objectInfo).prompt['12:5']!.inputs.image).toEqual(['1', 0]);
  });
});

describe('subgraphs: promoted values (§6.23)', () => {
  it('an instance input linked from outside wins over the promoted value; a PrimitiveNode feeding it gives its value', () => {
    const { g, made, workflow } = rootWith([scaleDefinition()], [[12, [100]], [13, [100]]]);
    const int = g.node('PrimitiveInt', [640, 'fixed'], { id: 50, outputs: ['INT'] });
    g.link(int, 0, made[0]!, 'width');
    const primitive = g.node('PrimitiveNode', [777, 'fixed'], { id: 51, outputs: ['INT'] });
    g.link(primitive, 0, made[1]!, 'width');
    const { prompt } = toApiPrompt(workflow(), objectInfo);
    expect(prompt['12:5']!.inputs.width).toEqual(['50', 0]);
    expect(prompt['13:5']!.inputs.width).toBe(777);
  });

  it('store era without values: the interior widget value stands', () => {
    const { workflow } = rootWith([scaleDefinition()], [[12, undefined]]);
    expect(toApiPrompt(workflow(), objectInfo).prompt['12:5']!.inputs.width).toBe(64);
  });

  it('proxyWidgets: interior widgets and "-1" inputs by entry, $$ previews and holes skipped', () => {
    const proxies = [['5', 'height'], ['-1', 'width'], ['5', '$$canvas-image-preview'], ['5', 'crop']];
    const { workflow } = rootWith([scaleDefinition()], [[12, [40, 111, 'x', null], { properties: { proxyWidgets: proxies } }]]);
    expect(toApiPrompt(workflow(), objectInfo).prompt['12:5']!.inputs).toMatchObject({ height: 40, width: 111, crop: 'disabled' });
  });

  it('proxyWidgets with the legacy "N: " prefix reach a widget nested one level deeper', () => {
    const outer = new UiGraph();
    const inner = outer.node('scale-def', undefined, { id: 7, inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'] });
    outer.fromInput('image', 'IMAGE', inner, 'image');
    outer.toOutput('IMAGE', inner, 0);
    const { workflow } = rootWith([outer.definition('outer-def', 'Outer', [scaleDefinition()])], [[12, [77], { properties: { proxyWidgets: [['7', '5: height']] } }]], 'outer-def');
    expect(toApiPrompt(workflow(), objectInfo).prompt['12:7:5']!.inputs).toMatchObject({ height: 77, width: 64 });
  });

  it('a legacy extra control slot after a promoted seed is skipped only when the array is longer', () => {
    const d = new UiGraph();
    const sampler = d.node('KSampler', [1, 'fixed', 20, 8, 'euler', 'normal', 1], {
      id: 5,
      inputs: [['model', 'MODEL'], ['seed', 'INT', true], ['steps', 'INT', true]],
      outputs: ['LATENT'],
    });
    d.fromInput('seed', 'INT', sampler, 'seed');
    d.fromInput('steps', 'INT', sampler, 'steps');
    d.toOutput('LATENT', sampler, 0);
    const convert = (values: unknown[]) => {
      const g = new UiGraph();
      g.node('sampler-def', values, { id: 12, inputs: [['seed', 'INT', true], ['steps', 'INT', true]], outputs: ['LATENT'] });
      return toApiPrompt(g.workflow({ definitions: { subgraphs: [d.definition('sampler-def')] } }), objectInfo).prompt['12:5']!.inputs;
    };
    expect(convert([42, 'randomize', 30])).toMatchObject({ seed: 42, steps: 30 });
    expect(convert([42, 30])).toMatchObject({ seed: 42, steps: 30 });
  });
});

describe('subgraphs: outputs and modes (§6.24, §6.25)', () => {
  function outputDefinition(build: (d: UiGraph, scale: ReturnType<UiGraph['node']>) => void) {
    const d = new UiGraph();
    const scale = d.node('ImageScale', SCALE, scaleSpec({ id: 5 }));
    d.fromInput('image', 'IMAGE', scale, 'image');
    build(d, scale);
    return d.definition('scale-def');
  }

  it('an output wired from a bypassed or reroute interior node resolves through it; from a muted one gives nothing', () => {
    const bypass = outputDefinition((d, scale) => {
      const inverted = d.node('ImageInvert', undefined, { id: 6, mode: 4, inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
      const reroute = d.node('Reroute', undefined, { id: 8, inputs: [['', '*']], outputs: ['*'] });
      d.link(scale, 0, inverted, 'image');
      d.link(inverted, 0, reroute, 0);
      d.toOutput('IMAGE', reroute, 0);
    });
    expect(toApiPrompt(rootWith([bypass], [[12, [100]]]).workflow(), objectInfo).prompt['112']!.inputs).toEqual({ images: ['12:5', 0] });
    const muted = outputDefinition((d, scale) => {
      const inverted = d.node('ImageInvert', undefined, { id: 6, mode: 2, inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
      d.link(scale, 0, inverted, 'image');
      d.toOutput('IMAGE', inverted, 0);
    });
    expect(toApiPrompt(rootWith([muted], [[12, [100]]]).workflow(), objectInfo).prompt['112']!.inputs).toEqual({});
  });

  it('an output with no inner link gives nothing; an input-to-output passthrough continues outside', () => {
    const empty = outputDefinition((d) => d.outputs.push({ name: 'IMAGE', type: 'IMAGE', linkIds: [] }));
    expect(toApiPrompt(rootWith([empty], [[12, [100]]]).workflow(), objectInfo).prompt['112']!.inputs).toEqual({});
    const through = outputDefinition((d) => d.passthrough(0, 'IMAGE'));
    expect(toApiPrompt(rootWith([through], [[12, [100]]]).workflow(), objectInfo).prompt['112']!.inputs).toEqual({ images: ['1', 0] });
  });

  it('muted and bypassed instances, at the root and nested, are not expanded; a bypassed one passes its input through', () => {
    const muted = toApiPrompt(rootWith([scaleDefinition()], [[12, [100], { mode: 2 }]]).workflow(), objectInfo).prompt;
    expect(Object.keys(muted).sort()).toEqual(['1', '112']);
    expect(muted['112']!.inputs).toEqual({});
    const bypassed = toApiPrompt(rootWith([scaleDefinition()], [[12, [100], { mode: 4 }]]).workflow(), objectInfo).prompt;
    expect(Object.keys(bypassed).sort()).toEqual(['1', '112']);
    expect(bypassed['112']!.inputs).toEqual({ images: ['1', 0] });

    const outer = new UiGraph();
    const inner = outer.node('scale-def', [250], { id: 7, mode: 4, inputs: [['image', 'IMAGE'], ['width', 'INT', true]], outputs: ['IMAGE'] });
    outer.fromInput('image', 'IMAGE', inner, 'image');
    outer.toOutput('IMAGE', inner, 0);
    const nested = toApiPrompt(rootWith([outer.definition('outer-def', 'Outer', [scaleDefinition()])], [[12, [300]]], 'outer-def').workflow(), objectInfo).prompt;
    expect(Object.keys(nested).sort()).toEqual(['1', '112']);
    expect(nested['112']!.inputs).toEqual({ images: ['1', 0] });
  });
});

describe('KJNodes Set/Get across a subgraph boundary (§6.19)', () => {
  it('a GetNode inside a subgraph finds the SetNode of the enclosing graph', () => {
    const d = new UiGraph();
    const get = d.node('GetNode', ['pic'], { id: 2, outputs: ['IMAGE'] });
    const inverted = d.node('ImageInvert', undefined, { id: 3, inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
    d.link(get, 0, inverted, 'image');
    const g = new UiGraph();
    const set = g.node('SetNode', ['pic'], { id: 2, inputs: [['IMAGE', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(g.node('EmptyImage', [8, 8, 1, 0], { id: 1, outputs: ['IMAGE'] }), 0, set, 'IMAGE');
    g.node('get-def', undefined, { id: 12 });
    const { prompt } = toApiPrompt(g.workflow({ definitions: { subgraphs: [d.definition('get-def')] } }), objectInfo);
    expect(prompt['12:3']!.inputs).toEqual({ image: ['1', 0] });
  });
});

describe('subgraphs: ids and order (§6.26)', () => {
  it('interior ids and link ids colliding with the root ones stay apart; instance inputs match definition inputs by name', () => {
    const { g, workflow } = rootWith([scaleDefinition()], [[12, [100], { inputs: [['width', 'INT', true], ['image', 'IMAGE']] }]]);
    g.node('EmptyImage', [9, 9, 1, 0], { id: 5, outputs: ['IMAGE'] });
    const { prompt } = toApiPrompt(workflow(), objectInfo);
    expect(prompt['5']!.inputs.width).toBe(9);
    expect(prompt['12:5']!.inputs).toMatchObject({ width: 100, image: ['1', 0] });
  });

  it('a definition that contains an instance of itself is an invalid_workflow error', () => {
    const d = new UiGraph();
    d.node('loop-def', undefined, { id: 1 });
    const g = new UiGraph();
    g.node('loop-def', undefined, { id: 12 });
    const error = (() => {
      try {
        toApiPrompt(g.workflow({ definitions: { subgraphs: [d.definition('loop-def')] } }), objectInfo);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(error).toMatchObject({ errorType: 'invalid_workflow', message: expect.stringMatching(/contains an instance of itself/) });
  });
});

describe('legacy group nodes (§6.27)', () => {
  const group = (innerType = 'ImageInvert') => ({
    nodes: [
      { index: 0, type: 'EmptyImage', widgets_values: [8, 8, 1, 0], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
      { index: 1, type: innerType, inputs: [{ name: 'image', type: 'IMAGE', link: null }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
      { index: 2, type: 'ImageBlend', widgets_values: [0.5, 'normal'], inputs: [{ name: 'image1', type: 'IMAGE', link: null }, { name: 'image2', type: 'IMAGE', link: null }], outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }] },
    ],
    links: [
      [0, 0, 1, 0, 10, 'IMAGE'],
      [1, 0, 2, 0, 11, 'IMAGE'],
      [null, 0, 2, 1, 3, 'IMAGE'],
    ],
    external: [],
  });

  function withGroup(innerType?: string) {
    const g = new UiGraph();
    const source = g.node('EmptyImage', [4, 4, 1, 9], { id: 3, outputs: ['IMAGE'] });
    const instance = g.node('workflow>Pair', [16, 16, 2, 5, 0.25, 'multiply'], { id: 20, inputs: [['image2', 'IMAGE']], outputs: ['IMAGE'] });
    g.link(source, 0, instance, 'image2');
    g.link(instance, 0, g.node('PreviewImage', undefined, { id: 30, inputs: [['images', 'IMAGE']] }), 'images');
    return g.workflow({ extra: { groupNodes: { Pair: group(innerType) } } });
  }

  it('expands to <instance>:<index> children with the instance values, inputs and outputs', () => {
    const { prompt } = toApiPrompt(withGroup(), objectInfo);
    expect(Object.keys(prompt).sort()).toEqual(['20:0', '20:1', '20:2', '3', '30']);
    expect(prompt['20:0']!.inputs).toEqual({ width: 16, height: 16, batch_size: 2, color: 5 });
    expect(prompt['20:1']!.inputs).toEqual({ image: ['20:0', 0] });
    expect(prompt['20:2']!.inputs).toEqual({ blend_factor: 0.25, blend_mode: 'multiply', image1: ['20:1', 0], image2: ['3', 0] });
    expect(prompt['30']!.inputs).toEqual({ images: ['20:2', 0] });
  });

  it('a group node with a missing inner type is a ComfyMissingNodeTypesError naming it', () => {
    expect(() => toApiPrompt(withGroup('GoneNode'), objectInfo)).toThrow(ComfyMissingNodeTypesError);
    try {
      toApiPrompt(withGroup('GoneNode'), objectInfo);
    } catch (error) {
      expect((error as ComfyMissingNodeTypesError).missing).toEqual(['GoneNode']);
      expect((error as ComfyMissingNodeTypesError).nodeTypes[0]!.nodeIds).toEqual(['20:1']);
    }
  });
});

describe('missing node types (§6.28)', () => {
  it('lists every missing type of the root, subgraphs and group nodes, skipping muted ones, with ids and pack hints', () => {
    const d = new UiGraph();
    d.node('BarNode', undefined, { id: 4 });
    const g = new UiGraph();
    g.node('FooNode', undefined, { id: 1, properties: { cnr_id: 'foo-pack', ver: '1.2.0' } });
    g.node('FooNode', undefined, { id: 2 });
    g.node('MutedNode', undefined, { id: 3, mode: 2 });
    g.node('Lonely', undefined, { id: 5 });
    g.node('bar-def', undefined, { id: 12 });
    g.node('workflow>Ghost', undefined, { id: 13 });
    g.node('workflow>G', undefined, { id: 14 });
    const file = g.workflow({
      definitions: { subgraphs: [d.definition('bar-def')] },
      extra: { groupNodes: { G: { nodes: [{ index: 0, type: 'BazNode' }], links: [], external: [] } } },
    });
    let error: ComfyMissingNodeTypesError | undefined;
    try {
      toApiPrompt(file, objectInfo);
    } catch (caught) {
      error = caught as ComfyMissingNodeTypesError;
    }
    expect(error).toBeInstanceOf(ComfyMissingNodeTypesError);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(error!.missing).toEqual(['BarNode', 'BazNode', 'FooNode', 'Lonely', 'workflow>Ghost']);
    expect(error!.errorType).toBe('missing_node_type');
    expect(error!.nodeTypes.find((entry) => entry.type === 'FooNode')).toEqual({ type: 'FooNode', nodeIds: ['1', '2'], cnrId: 'foo-pack', ver: '1.2.0' });
    expect(error!.nodeErrors['12:4']).toMatchObject({ class_type: 'BarNode' });
    expect(error!.message).toMatch(/BarNode, BazNode, FooNode, Lonely, workflow>Ghost/);
  });
});
