import { defineNode, SAVER_HIDDEN_INPUTS } from './defineNode';
import { CLIP_TYPES, type ModelFolders } from './modelFiles';
import { SAMPLERS } from './modelFiles';
import type { NodeBehaviour, NodeContext } from './nodeTypes';
import { batchSeed, savePath } from './saveImages';
import { sampleSteps, seed32 } from './sampling';
import { expectKind, hashText, imageSeedOf, type ImageBatch, type Latent } from './simValues';

const MAX_RESOLUTION = 16384;
const MAX_SEED = Number('18446744073709551615');

/** Saves a whole batch as one animation file (SaveAnimatedWEBP / SaveAnimatedPNG). */
function saveAnimation(ctx: NodeContext, images: ImageBatch, prefix: string, fps: number, format: 'webp' | 'png') {
  const { subfolder, filename } = savePath(prefix, images.width, images.height);
  const counter = ctx.files.reserveCounter('output', subfolder, filename, 1);
  const name = `${filename}_${String(counter).padStart(5, '0')}_.${format}`;
  const text = images.source.type === 'synth' ? images.source.text : undefined;
  ctx.files.put('output', subfolder, name, {
    kind: 'animation',
    recipe: { format, width: images.width, height: images.height, seed: batchSeed(images), text, frames: images.count, fps, ...(ctx.fileMetadata ? { metadata: ctx.fileMetadata } : {}) },
  }, true);
  return { filename: name, subfolder, type: 'output' as const };
}

/** Text-to-video nodes of the LTX-Video template, plus the animated savers. */
export function videoNodes(models: ModelFolders): Record<string, NodeBehaviour> {
  const CLIPLoader: NodeBehaviour = {
    definition: defineNode({
      name: 'CLIPLoader',
      displayName: 'Load CLIP',
      category: 'advanced/loaders',
      description: '[Recipes]\n\nstable_diffusion: clip-l\nltxv: t5xxl',
      required: { clip_name: [[...(models.text_encoders ?? [])]], type: [[...CLIP_TYPES]] },
      optional: { device: [['default', 'cpu'], { advanced: true }] },
      outputs: [['CLIP', 'CLIP']],
    }),
    run: (_ctx, inputs) => ({ outputs: [{ kind: 'CLIP', name: String(inputs.clip_name) }] }),
  };

  const LTXVConditioning: NodeBehaviour = {
    definition: defineNode({
      name: 'LTXVConditioning',
      displayName: 'LTXVConditioning',
      category: 'conditioning/video_models',
      required: {
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        frame_rate: ['FLOAT', { default: 25.0, min: 0.0, max: 1000.0, step: 0.01 }],
      },
      outputs: [
        ['CONDITIONING', 'positive'],
        ['CONDITIONING', 'negative'],
      ],
    }),
    run: (_ctx, inputs) => {
      const frameRate = inputs.frame_rate as number;
      const positive = expectKind(inputs.positive, 'CONDITIONING', 'positive');
      const negative = expectKind(inputs.negative, 'CONDITIONING', 'negative');
      return { outputs: [{ ...positive, frameRate }, { ...negative, frameRate }] };
    },
  };

  const EmptyLTXVLatentVideo: NodeBehaviour = {
    definition: defineNode({
      name: 'EmptyLTXVLatentVideo',
      displayName: 'EmptyLTXVLatentVideo',
      category: 'latent/video/ltxv',
      required: {
        width: ['INT', { default: 768, min: 64, max: MAX_RESOLUTION, step: 32 }],
        height: ['INT', { default: 512, min: 64, max: MAX_RESOLUTION, step: 32 }],
        length: ['INT', { default: 97, min: 1, max: MAX_RESOLUTION, step: 8 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
      },
      outputs: [['LATENT', 'LATENT']],
    }),
    run: (_ctx, inputs) => ({
      outputs: [{ kind: 'LATENT', width: inputs.width as number, height: inputs.height as number, batch: inputs.batch_size as number, frames: inputs.length as number }],
    }),
  };

  const LTXVImgToVideo: NodeBehaviour = {
    definition: defineNode({
      name: 'LTXVImgToVideo',
      displayName: 'LTXVImgToVideo',
      category: 'conditioning/video_models',
      required: {
        positive: ['CONDITIONING', {}],
        negative: ['CONDITIONING', {}],
        vae: ['VAE', {}],
        image: ['IMAGE', {}],
        width: ['INT', { default: 768, min: 64, max: MAX_RESOLUTION, step: 32 }],
        height: ['INT', { default: 512, min: 64, max: MAX_RESOLUTION, step: 32 }],
        length: ['INT', { default: 97, min: 9, max: MAX_RESOLUTION, step: 8 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
        strength: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0 }],
      },
      outputs: [
        ['CONDITIONING', 'positive'],
        ['CONDITIONING', 'negative'],
        ['LATENT', 'latent'],
      ],
    }),
    run: (ctx, inputs) => {
      const positive = expectKind(inputs.positive, 'CONDITIONING', 'positive');
      const negative = expectKind(inputs.negative, 'CONDITIONING', 'negative');
      expectKind(inputs.vae, 'VAE', 'vae');
      const image = expectKind(inputs.image, 'IMAGE', 'image');
      const latent: Latent = {
        kind: 'LATENT',
        width: inputs.width as number,
        height: inputs.height as number,
        batch: inputs.batch_size as number,
        frames: inputs.length as number,
        imageSeed: imageSeedOf(image, ctx.files),
      };
      return { outputs: [positive, negative, latent] };
    },
  };

  const LTXVScheduler: NodeBehaviour = {
    definition: defineNode({
      name: 'LTXVScheduler',
      displayName: 'LTXVScheduler',
      category: 'sampling/custom_sampling/schedulers',
      required: {
        steps: ['INT', { default: 20, min: 1, max: 10000 }],
        max_shift: ['FLOAT', { default: 2.05, min: 0.0, max: 100.0, step: 0.01 }],
        base_shift: ['FLOAT', { default: 0.95, min: 0.0, max: 100.0, step: 0.01 }],
        stretch: ['BOOLEAN', { default: true, tooltip: 'Stretch the sigmas to be in the range [terminal, 1].' }],
        terminal: ['FLOAT', { default: 0.1, min: 0.0, max: 0.99, step: 0.01, tooltip: 'The terminal value of the sigmas after stretching.' }],
      },
      optional: { latent: ['LATENT'] },
      outputs: [['SIGMAS', 'SIGMAS']],
    }),
    run: (_ctx, inputs) => ({ outputs: [{ kind: 'SIGMAS', steps: inputs.steps as number }] }),
  };

  const KSamplerSelect: NodeBehaviour = {
    definition: defineNode({
      name: 'KSamplerSelect',
      displayName: 'KSamplerSelect',
      category: 'sampling/custom_sampling/samplers',
      required: { sampler_name: [[...SAMPLERS]] },
      outputs: [['SAMPLER', 'SAMPLER']],
    }),
    run: (_ctx, inputs) => ({ outputs: [{ kind: 'SAMPLER', name: String(inputs.sampler_name) }] }),
  };

  const SamplerCustom: NodeBehaviour = {
    definition: defineNode({
      name: 'SamplerCustom',
      displayName: 'SamplerCustom',
      category: 'sampling/custom_sampling',
      required: {
        model: ['MODEL'],
        add_noise: ['BOOLEAN', { default: true }],
        noise_seed: ['INT', { default: 0, min: 0, max: MAX_SEED, control_after_generate: true }],
        cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 }],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        sampler: ['SAMPLER'],
        sigmas: ['SIGMAS'],
        latent_image: ['LATENT'],
      },
      outputs: [
        ['LATENT', 'output'],
        ['LATENT', 'denoised_output'],
      ],
    }),
    spreadsLatency: true,
    run: async (ctx, inputs) => {
      expectKind(inputs.model, 'MODEL', 'model');
      expectKind(inputs.sampler, 'SAMPLER', 'sampler');
      const positive = expectKind(inputs.positive, 'CONDITIONING', 'positive');
      const sigmas = expectKind(inputs.sigmas, 'SIGMAS', 'sigmas');
      const latent = expectKind(inputs.latent_image, 'LATENT', 'latent_image');
      const seed = seed32(inputs.noise_seed as number);
      await sampleSteps(ctx, latent, seed, sigmas.steps);
      const sampled: Latent = { ...latent, seed: (seed ^ hashText(positive.text) ^ (latent.imageSeed ?? 0)) >>> 0, text: positive.text };
      return { outputs: [sampled, sampled] };
    },
  };

  const SaveAnimatedWEBP: NodeBehaviour = {
    definition: defineNode({
      name: 'SaveAnimatedWEBP',
      displayName: 'SaveAnimatedWEBP',
      category: 'image/animation',
      required: {
        images: ['IMAGE'],
        filename_prefix: ['STRING', { default: 'ComfyUI' }],
        fps: ['FLOAT', { default: 6.0, min: 0.01, max: 1000.0, step: 0.01 }],
        lossless: ['BOOLEAN', { default: true }],
        quality: ['INT', { default: 80, min: 0, max: 100 }],
        method: [['default', 'fastest', 'slowest']],
      },
      hidden: SAVER_HIDDEN_INPUTS,
      outputNode: true,
    }),
    run: (ctx, inputs) => {
      const images = expectKind(inputs.images, 'IMAGE', 'images');
      const saved = saveAnimation(ctx, images, String(inputs.filename_prefix), inputs.fps as number, 'webp');
      return { outputs: [], ui: { images: [saved], animated: [images.count !== 1] } };
    },
  };

  const SaveAnimatedPNG: NodeBehaviour = {
    definition: defineNode({
      name: 'SaveAnimatedPNG',
      displayName: 'SaveAnimatedPNG',
      category: 'image/animation',
      required: {
        images: ['IMAGE'],
        filename_prefix: ['STRING', { default: 'ComfyUI' }],
        fps: ['FLOAT', { default: 6.0, min: 0.01, max: 1000.0, step: 0.01 }],
        compress_level: ['INT', { default: 4, min: 0, max: 9 }],
      },
      hidden: SAVER_HIDDEN_INPUTS,
      outputNode: true,
    }),
    run: (ctx, inputs) => {
      const images = expectKind(inputs.images, 'IMAGE', 'images');
      const saved = saveAnimation(ctx, images, String(inputs.filename_prefix), inputs.fps as number, 'png');
      return { outputs: [], ui: { images: [saved], animated: [true] } };
    },
  };

  return { CLIPLoader, LTXVConditioning, EmptyLTXVLatentVideo, LTXVImgToVideo, LTXVScheduler, KSamplerSelect, SamplerCustom, SaveAnimatedWEBP, SaveAnimatedPNG };
}
