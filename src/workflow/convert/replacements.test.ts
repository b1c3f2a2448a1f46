/** Node replacements in the converter: a class the server lacks but replaces converts as the server will run it. */
import realObjectInfo from '../__fixtures__/object_info-0.8.0.json';
import { UiGraph } from '../__fixtures__/uiGraph';
import { ComfyMissingNodeTypesError } from '../../errors';
import { BUILTIN_NODE_REPLACEMENTS } from '../../testing/server/builtinReplacements';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt } from '../validate/validatePrompt';
import { toApiPrompt } from './toApiPrompt';

/** A newer server that no longer has ImageScaleBy and ImageBatch, and says how it replaces them. */
const lacking = (...classes: string[]) => Object.fromEntries(Object.entries(realObjectInfo).filter(([name]) => !classes.includes(name)));
const newer = ObjectInfoIndex.from(lacking('ImageScaleBy', 'ImageBatch'), { version: '0.38.1', nodeReplacements: BUILTIN_NODE_REPLACEMENTS });

function scaled(widgets: unknown = ['nearest-exact', 1.5]) {
  const graph = new UiGraph();
  const load = graph.node('LoadImage', ['photo.png', 'image'], { outputs: ['IMAGE', 'MASK'] });
  const scale = graph.node('ImageScaleBy', widgets, { inputs: [['image', 'IMAGE']], outputs: ['IMAGE'] });
  const batch = graph.node('ImageBatch', undefined, { inputs: [['image1', 'IMAGE'], ['image2', 'IMAGE']], outputs: ['IMAGE'] });
  const save = graph.node('SaveImage', ['out'], { inputs: [['images', 'IMAGE']] });
  graph.link(load, 0, scale, 'image');
  graph.link(scale, 0, batch, 'image1');
  graph.link(load, 0, batch, 'image2');
  graph.link(batch, 0, save, 'images');
  return graph.workflow();
}

describe('toApiPrompt with the server node replacements', () => {
  it('rewrites the classes the server lacks as the server will (widget values by old_widget_ids), with a warning each; the server accepts the prompt', () => {
    const { prompt, warnings } = toApiPrompt(scaled(), newer);
    expect(prompt['2']).toEqual({
      class_type: 'ResizeImageMaskNode',
      inputs: { input: ['1', 0], resize_type: 'scale by multiplier', 'resize_type.multiplier': 1.5, scale_method: 'nearest-exact' },
      _meta: { title: 'ImageScaleBy' },
    });
    expect(prompt['3']).toEqual({ class_type: 'BatchImagesNode', inputs: { 'images.image0': ['2', 0], 'images.image1': ['1', 0] }, _meta: { title: 'ImageBatch' } });
    expect(prompt['4']!.inputs.images).toEqual(['3', 0]);
    expect(warnings.map((w) => [w.type, w.nodeId, w.classType])).toEqual([
      ['node_replaced', '2', 'ImageScaleBy'],
      ['node_replaced', '3', 'ImageBatch'],
    ]);
    const fileExists = () => true;
    expect(validatePrompt(prompt, newer, { env: { fileExists } }).status).toBe(200);
  });

  it('without the replacements (a 0.8.0 server) the classes are missing', () => {
    const error = (() => {
      try {
        toApiPrompt(scaled(), lacking('ImageScaleBy', 'ImageBatch'));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ComfyMissingNodeTypesError);
    expect((error as ComfyMissingNodeTypesError).missing).toEqual(['ImageBatch', 'ImageScaleBy']);
  });

  it('a node the replacement cannot take (a mapped value it lacks: the server would fail) leaves its class missing', () => {
    expect(() => toApiPrompt(scaled(['nearest-exact']), newer)).toThrow(ComfyMissingNodeTypesError);
  });
});
