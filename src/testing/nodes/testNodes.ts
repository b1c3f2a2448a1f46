import { previewJpeg } from '../media/previewJpeg';
import { nodeFrame, PyException } from '../engine/pythonExceptions';
import { defineNode } from './defineNode';
import type { NodeBehaviour } from './nodeTypes';
import { expectKind } from './simValues';

/** The custom-node package the traces were recorded with (`custom_nodes.test_nodes`). */
const TEST_MODULE = 'custom_nodes.test_nodes';
const TEST_SOURCE = '/opt/ComfyUI/custom_nodes/test_nodes/__init__.py';

/** `SlowProgress(image, steps, delay_ms, send_preview?)`: sleeps `delay_ms` per step, reports k/steps. */
export const SlowProgress: NodeBehaviour = {
  definition: defineNode({
    name: 'SlowProgress',
    displayName: 'Slow Progress (test)',
    category: 'testing',
    pythonModule: TEST_MODULE,
    required: {
      image: ['IMAGE'],
      steps: ['INT', { default: 5, min: 1, max: 10000 }],
      delay_ms: ['INT', { default: 200, min: 0, max: 600000 }],
    },
    optional: { send_preview: ['BOOLEAN', { default: false }] },
    outputs: [['IMAGE', 'IMAGE']],
  }),
  run: async (ctx, inputs) => {
    const image = expectKind(inputs.image, 'IMAGE', 'image');
    const steps = inputs.steps as number;
    for (let step = 1; step <= steps; step++) {
      await ctx.sleep((inputs.delay_ms as number) + ctx.stepLatencyMs);
      ctx.progress(step, steps, inputs.send_preview === true ? { mime: 'image/jpeg', bytes: previewJpeg(image.width, image.height, steps, step) } : undefined);
    }
    return { outputs: [image] };
  },
};

/** `FailAlways(image, message)`: raises `RuntimeError(message)`. */
export const FailAlways: NodeBehaviour = {
  definition: defineNode({
    name: 'FailAlways',
    displayName: 'Fail Always (test)',
    category: 'testing',
    pythonModule: TEST_MODULE,
    required: { image: ['IMAGE'], message: ['STRING', { default: 'intentional test failure' }] },
    outputs: [['IMAGE', 'IMAGE']],
  }),
  run: (_ctx, inputs) => {
    throw new PyException('RuntimeError', String(inputs.message), [nodeFrame(TEST_SOURCE, 66, 'run', 'raise RuntimeError(message)')]);
  },
};

/**
 * `Stall(image, seconds, interruptible)`: silent for `seconds` (real time). Interruptible stalls
 * poll the interrupt flag; the others are only interrupted at the next node.
 */
export const Stall: NodeBehaviour = {
  definition: defineNode({
    name: 'Stall',
    displayName: 'Stall (test)',
    category: 'testing',
    pythonModule: TEST_MODULE,
    required: {
      image: ['IMAGE'],
      seconds: ['FLOAT', { default: 5.0, min: 0.0, max: 3600.0, step: 0.01 }],
      interruptible: ['BOOLEAN', { default: true }],
    },
    outputs: [['IMAGE', 'IMAGE']],
  }),
  run: async (ctx, inputs) => {
    const image = expectKind(inputs.image, 'IMAGE', 'image');
    await ctx.sleep((inputs.seconds as number) * 1000, inputs.interruptible !== false);
    return { outputs: [image] };
  },
};
