import type { NodeReplacement, NodeReplacementTable } from '../../protocol/nodeReplacements';

const replace = (old_node_id: string, new_node_id: string, rest: Partial<NodeReplacement> = {}): NodeReplacement => ({
  new_node_id,
  old_node_id,
  old_widget_ids: rest.old_widget_ids ?? null,
  input_mapping: rest.input_mapping ?? null,
  output_mapping: rest.output_mapping ?? null,
});

const same = (...ids: string[]) => ids.map((id) => ({ new_id: id, old_id: id }));

/**
 * The replacements a newer ComfyUI registers for its own deprecated classes, as its
 * `GET /node_replacements` lists them (comfy_extras' node replacements extension, read at the
 * commit docs/protocol.md names). They apply only to classes the server does not have.
 */
export const BUILTIN_NODE_REPLACEMENTS: NodeReplacementTable = Object.fromEntries(
  [
    replace('ResizeImagesByLongerEdge', 'ImageScaleToMaxDimension', {
      old_widget_ids: ['longer_edge'],
      input_mapping: [
        { new_id: 'image', old_id: 'images' },
        { new_id: 'largest_size', old_id: 'longer_edge' },
        { new_id: 'upscale_method', set_value: 'lanczos' },
      ],
      output_mapping: [{ new_idx: 0, old_idx: 0 }],
    }),
    replace('ImageBatch', 'BatchImagesNode', {
      input_mapping: [
        { new_id: 'images.image0', old_id: 'image1' },
        { new_id: 'images.image1', old_id: 'image2' },
      ],
    }),
    replace('ImageScaleBy', 'ResizeImageMaskNode', {
      old_widget_ids: ['upscale_method', 'scale_by'],
      input_mapping: [
        { new_id: 'input', old_id: 'image' },
        { new_id: 'resize_type', set_value: 'scale by multiplier' },
        { new_id: 'resize_type.multiplier', old_id: 'scale_by' },
        { new_id: 'scale_method', old_id: 'upscale_method' },
      ],
    }),
    replace('T2IAdapterLoader', 'ControlNetLoader', { input_mapping: [{ new_id: 'control_net_name', old_id: 't2i_adapter_name' }] }),
    replace('Load3DAnimation', 'Load3D'),
    replace('Preview3DAnimation', 'Preview3D'),
    replace('SDV_img2vid_Conditioning', 'SVD_img2vid_Conditioning'),
    replace('ConditioningAverage ', 'ConditioningAverage'),
    replace('GeminiNanoBanana2', 'GeminiNanoBanana2V2', {
      old_widget_ids: ['prompt', 'model', 'seed', 'aspect_ratio', 'resolution', 'response_modalities', 'thinking_level', 'system_prompt'],
      input_mapping: [
        ...same('prompt', 'model', 'seed', 'aspect_ratio', 'resolution', 'response_modalities', 'thinking_level'),
        { new_id: 'images.image_1', old_id: 'images' },
        ...same('files', 'system_prompt'),
      ],
    }),
  ].map((replacement) => [replacement.old_node_id, [replacement]]),
);
