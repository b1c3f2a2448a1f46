/**
 * A newer server's /object_info entries (V3 dotted inputs such as `format.codec`, dict-valued
 * socketless widgets, multiselect combos with list defaults, the extra keys) through the
 * converter, the builder and the validator (codegen: generateNodeTypes.test.ts).
 */
import { UiGraph } from './__fixtures__/uiGraph';
import { WorkflowBuilder } from './builder';
import { toApiPrompt } from './convert/toApiPrompt';
import { ObjectInfoIndex } from './objectInfoIndex';
import { validatePrompt } from './validate/validatePrompt';

const info = ObjectInfoIndex.from(
  {
    LoadClip: { input: { required: { file: [['clip.mp4'], { video_upload: true }] } }, input_order: { required: ['file'] }, output: ['VIDEO'], has_intermediate_output: true, search_aliases: [] },
    SaveVideoV3: {
      input: {
        required: {
          video: ['VIDEO', {}],
          filename_prefix: ['STRING', { default: 'video/ComfyUI' }],
          format: ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'mp4', inputs: { required: { codec: [['h264', 'av1'], {}] } } }, { key: 'webm', inputs: {} }] }],
          camera: ['CAMERA_INFO_STATE', { socketless: true, advanced: true }],
          tags: ['COMBO', { options: ['a', 'b'], multiselect: true, multi_select: { chip: true }, default: ['a'] }],
        },
      },
      input_order: { required: ['video', 'filename_prefix', 'format', 'camera', 'tags'] },
      output: [],
      output_node: true,
      dev_only: false,
      search_aliases: null,
      price_badge: null,
    },
  },
  { version: '0.38.1' },
);
const camera = { position: { x: 0, y: 1, z: 2 }, zoom: 1 };

describe('newer /object_info entries', () => {
  it('convert: dotted DynamicCombo children, a socketless dict widget sent as it is, a multiselect list wrapped', () => {
    const graph = new UiGraph();
    const load = graph.node('LoadClip', ['clip.mp4', 'image'], { outputs: ['VIDEO'] });
    const save = graph.node('SaveVideoV3', ['clips/x', 'mp4', 'av1', camera, ['a', 'b']], { inputs: [['video', 'VIDEO']] });
    graph.link(load, 0, save, 'video');
    const { prompt, warnings } = toApiPrompt(graph.workflow(), info);
    expect(warnings).toEqual([]);
    expect(prompt['2']!.inputs).toEqual({ filename_prefix: 'clips/x', format: 'mp4', 'format.codec': 'av1', camera, tags: { __value__: ['a', 'b'] }, video: ['1', 0] });
    expect(validatePrompt(prompt, info, { env: { fileExists: () => true } })).toMatchObject({ status: 200, node_errors: {} });
  });

  it('build: the dotted child by its name, list defaults wrapped; the server would run it', () => {
    const g = new WorkflowBuilder(info);
    const clip = g.add('LoadClip', { file: 'clip.mp4' });
    g.add('SaveVideoV3', { video: clip.output('VIDEO'), format: 'mp4', 'format.codec': 'h264', camera });
    const built = g.build();
    expect(built['2']!.inputs).toEqual({ video: ['1', 0], filename_prefix: 'video/ComfyUI', format: 'mp4', camera, tags: { __value__: ['a'] }, 'format.codec': 'h264' });
  });

  it('validate: a dotted child the selected option lacks is required_input_missing named by its last part; a bad multiselect value is listed', () => {
    const answer = validatePrompt({ '1': { class_type: 'LoadClip', inputs: { file: 'clip.mp4' } }, '2': { class_type: 'SaveVideoV3', inputs: { video: ['1', 0], filename_prefix: 'x', format: 'mp4', camera, tags: { __value__: ['c'] } } } }, info, { env: { fileExists: () => true } });
    expect(answer.node_errors['2']?.errors.map((e) => [e.type, e.details])).toEqual([
      ['required_input_missing', 'codec'],
      ['value_not_in_list', "tags: 'c' not in ['a', 'b']"],
    ]);
  });
});
