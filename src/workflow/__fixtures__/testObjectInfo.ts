import realObjectInfo from './object_info-0.8.0.json';

/** The real 0.8.0 `/object_info` plus a few classes shaped like node packs' (for rules no core class shows). */
export const objectInfo: Record<string, unknown> = {
  ...realObjectInfo,
  NoControlSeed: cls({ required: { seed: ['INT', { default: 0, control_after_generate: false }], steps: ['INT', { default: 20 }] } }),
  VariationSeed: cls({ required: { variation_seed: ['INT', { default: 0, control_after_generate: true }], strength: ['FLOAT', { default: 1 }] } }),
  PlainVariationSeed: cls({ required: { variation_seed: ['INT', { default: 0 }], strength: ['FLOAT', { default: 1 }] } }),
  SeedThenCombo: cls({ required: { seed: ['INT', { default: 0 }], mode: [['fixed', 'other'], {}], label: ['STRING', { default: '' }] } }),
  ComboControl: cls({ required: { pick: [['a', 'b', 'c'], { control_after_generate: true }], n: ['INT', { default: 1 }] } }),
  UploadWithOptional: {
    ...cls({ required: { image: [['x.png'], { image_upload: true }], strength: ['FLOAT', { default: 1 }] }, optional: { gain: ['FLOAT', { default: 1 }] } }),
    input_order: { required: ['image', 'strength'], optional: ['gain'] },
  },
  UploadNoOrder: cls({ required: { image: [['x.png'], { image_upload: true }], strength: ['FLOAT', { default: 1 }] }, optional: { gain: ['FLOAT', { default: 1 }] } }, false),
  ForceInputOld: cls({ required: { a: ['INT', { default: 0 }], b: ['FLOAT', { forceInput: true }], c: ['STRING', { default: '' }] } }),
  DefaultInput: cls({ required: { a: ['INT', { default: 0, defaultInput: true }], b: ['INT', { default: 0 }] } }),
  Dynamic: cls({
    required: {
      mode: [
        'COMFY_DYNAMICCOMBO_V3',
        {
          options: [
            { key: 'a', inputs: { required: { x: ['INT', { default: 1 }] } } },
            { key: 'b', inputs: { required: { inner: ['COMFY_DYNAMICCOMBO_V3', { options: [{ key: 'c', inputs: { required: { y: ['FLOAT', { default: 0 }] } } }] }] } } },
          ],
        },
      ],
      seed: ['INT', { default: 0, control_after_generate: true }],
    },
  }),
  ListWidget: cls({ required: { points: ['CURVE', {}], items: ['STRING', { default: '' }] } }),
  PackWidget: cls({ required: { image: ['IMAGE', {}], colors: ['PALETTE', {}], amount: ['FLOAT', { default: 1 }] } }),
  Webcam: cls({ required: { image: ['WEBCAM', {}], width: ['INT', { default: 640 }] } }),
  NamedRestore: { ...cls({ required: { a: ['INT', { default: 0 }], b: ['INT', { default: 0 }] } }), fallbackWidgetsValuesNames: [] },
  Multi: cls({ required: { in1: ['IMAGE,MASK', {}], in2: ['LATENT', {}] } }, true, ['IMAGE']),
};

function cls(input: Record<string, unknown>, withOrder = true, output: string[] = ['IMAGE']): Record<string, unknown> {
  const order = Object.fromEntries(Object.entries(input).map(([category, specs]) => [category, Object.keys(specs as object)]));
  return { input, ...(withOrder ? { input_order: order } : {}), output, output_name: output, display_name: 'Test', category: 'test', output_node: false };
}
