/** What newer ComfyUI servers send beside 0.8.0's shapes (docs/protocol.md, "Newer servers") parses, and keeps what it adds. */
import { Job, JOB_STATUSES, UploadResponse } from './api';
import { FeatureFlags, parseMessage } from './messages';
import { NodeDefinition } from './objectInfo';

describe('newer server shapes', () => {
  it('executed from a node that is not an output (LoadVideo), progress_state with an activity, unknown broadcasts', () => {
    const executed = parseMessage(JSON.stringify({ type: 'executed', data: { node: '4', display_node: '4', output: { images: [{ filename: 'clip.mp4', subfolder: '', type: 'input' }], animated: [true] }, prompt_id: 'p' } }));
    expect(executed).toMatchObject({ type: 'executed', data: { node: '4', output: { animated: [true] } } });
    const state = parseMessage(
      JSON.stringify({ type: 'progress_state', data: { prompt_id: 'p', nodes: { '3': { value: 0, max: 1, state: 'running', node_id: '3', prompt_id: 'p', display_node_id: '3', parent_node_id: null, real_node_id: '3', activity: 'loading' } } } }),
    );
    expect(state.type === 'progress_state' && state.data.nodes['3']?.activity).toBe('loading');
    expect(parseMessage(JSON.stringify({ type: 'assets.seed.progress', data: { done: 3 } }))).toEqual({ type: 'unknown', rawType: 'assets.seed.progress', data: { done: 3 } });
  });

  it('feature flags keep every key; a known one of an unexpected type reads as absent', () => {
    const flags = FeatureFlags.parse({ supports_preview_metadata: true, supports_model_type_tags: true, max_upload_size: 104857600.0, node_replacements: true, assets: 'maybe', show_signin_button: false });
    expect(flags).toEqual({ supports_preview_metadata: true, supports_model_type_tags: true, max_upload_size: 104857600, node_replacements: true, assets: undefined, show_signin_button: false });
  });

  it('a cancelled job with a text preview and a previewable count; an upload that became an asset', () => {
    const job = Job.parse({ id: 'j', status: 'cancelled', previewable_outputs_count: 1, preview_output: { content: 'a caption', truncated: true, nodeId: '7', mediaType: 'text' }, outputs: { '7': { text: ['a caption'] } } });
    expect(JOB_STATUSES).toContain(job.status);
    expect(job.preview_output).toEqual({ content: 'a caption', truncated: true, nodeId: '7', mediaType: 'text' });
    expect(UploadResponse.parse({ name: 'a.png', subfolder: '', type: 'input', asset: { id: 'x', name: 'a.png', asset_hash: 'blake3:00', size: 3, mime_type: 'image/png', tags: [] } }).asset?.id).toBe('x');
  });

  it('an /object_info entry with the newer keys, V3 dotted inputs and dict-valued widgets', () => {
    const entry = NodeDefinition.parse({
      input: {
        required: {
          filename_prefix: ['STRING', { default: 'video/ComfyUI' }],
          format: ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'mp4', inputs: { required: { codec: [['h264', 'av1'], {}] } } }] }],
          camera: ['CAMERA_INFO_STATE', { socketless: true, advanced: true }],
          tags: ['COMBO', { options: ['a', 'b'], multiselect: true, multi_select: { placeholder: 'pick', chip: true }, default: ['a'] }],
          strength: ['FLOAT', { default: 0.5, display: 'gradientslider', gradient_stops: [{ offset: 0, color: [0, 0, 0] }] }],
        },
      },
      input_order: { required: ['filename_prefix', 'format', 'camera', 'tags', 'strength'] },
      output: [],
      output_node: true,
      is_input_list: false,
      has_intermediate_output: false,
      dev_only: false,
      search_aliases: null,
      essentials_category: 'Video',
      price_badge: { engine: 'jsonata', expr: '1' },
    });
    expect(entry.input.required?.tags?.[1]).toMatchObject({ multiselect: true, default: ['a'] });
    expect(entry.input.required?.strength?.[1]).toMatchObject({ default: 0.5, display: 'gradientslider' });
  });
});
