import { defineNode } from './defineNode';
import type { ModelFolders } from './modelFiles';
import { SAMPLERS, SCHEDULERS } from './modelFiles';
import type { NodeBehaviour } from './nodeTypes';
import { sampleSteps, seed32 } from './sampling';
import { expectKind, hashText, imageSeedOf, type Latent } from './simValues';

const MAX_RESOLUTION = 16384;
/** 0xffffffffffffffff, the seed maximum ComfyUI declares (JSON shows it rounded, as Python's big int becomes a JS number). */
const MAX_SEED = Number('18446744073709551615');

/** Text-to-image nodes of the SD1.5 template: CheckpointLoaderSimple, CLIPTextEncode, EmptyLatentImage, KSampler, VAEDecode. */
export function diffusionNodes(models: ModelFolders): Record<string, NodeBehaviour> {
  const CheckpointLoaderSimple: NodeBehaviour = {
    definition: defineNode({
      name: 'CheckpointLoaderSimple',
      displayName: 'Load Checkpoint',
      category: 'loaders',
      description: 'Loads a diffusion model checkpoint, diffusion models are used to denoise latents.',
      required: { ckpt_name: [[...(models.checkpoints ?? [])], { tooltip: 'The name of the checkpoint (model) to load.' }] },
      outputs: [
        ['MODEL', 'MODEL'],
        ['CLIP', 'CLIP'],
        ['VAE', 'VAE'],
      ],
      outputTooltips: [
        'The model used for denoising latents.',
        'The CLIP model used for encoding text prompts.',
        'The VAE model used for encoding and decoding images to and from latent space.',
      ],
    }),
    run: (_ctx, inputs) => {
      const name = String(inputs.ckpt_name);
      return { outputs: [{ kind: 'MODEL', name }, { kind: 'CLIP', name }, { kind: 'VAE', name }] };
    },
  };

  const CLIPTextEncode: NodeBehaviour = {
    definition: defineNode({
      name: 'CLIPTextEncode',
      displayName: 'CLIP Text Encode (Prompt)',
      category: 'conditioning',
      description: 'Encodes a text prompt using a CLIP model into an embedding that can be used to guide the diffusion model towards generating specific images.',
      required: {
        text: ['STRING', { multiline: true, dynamicPrompts: true, tooltip: 'The text to be encoded.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model used for encoding the text.' }],
      },
      outputs: [['CONDITIONING', 'CONDITIONING']],
      outputTooltips: ['A conditioning containing the embedded text used to guide the diffusion model.'],
    }),
    run: (_ctx, inputs) => {
      expectKind(inputs.clip, 'CLIP', 'clip');
      return { outputs: [{ kind: 'CONDITIONING', text: String(inputs.text) }] };
    },
  };

  const EmptyLatentImage: NodeBehaviour = {
    definition: defineNode({
      name: 'EmptyLatentImage',
      displayName: 'Empty Latent Image',
      category: 'latent',
      description: 'Create a new batch of empty latent images to be denoised via sampling.',
      required: {
        width: ['INT', { default: 512, min: 16, max: MAX_RESOLUTION, step: 8, tooltip: 'The width of the latent images in pixels.' }],
        height: ['INT', { default: 512, min: 16, max: MAX_RESOLUTION, step: 8, tooltip: 'The height of the latent images in pixels.' }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096, tooltip: 'The number of latent images in the batch.' }],
      },
      outputs: [['LATENT', 'LATENT']],
      outputTooltips: ['The empty latent image batch.'],
    }),
    run: (_ctx, inputs) => ({
      outputs: [{ kind: 'LATENT', width: inputs.width as number, height: inputs.height as number, batch: inputs.batch_size as number, frames: 1 }],
    }),
  };

  const KSampler: NodeBehaviour = {
    definition: defineNode({
      name: 'KSampler',
      displayName: 'KSampler',
      category: 'sampling',
      description: 'Uses the provided model, positive and negative conditioning to denoise the latent image.',
      required: {
        model: ['MODEL', { tooltip: 'The model used for denoising the input latent.' }],
        seed: ['INT', { default: 0, min: 0, max: MAX_SEED, control_after_generate: true, tooltip: 'The random seed used for creating the noise.' }],
        steps: ['INT', { default: 20, min: 1, max: 10000, tooltip: 'The number of steps used in the denoising process.' }],
        cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01, tooltip: 'The Classifier-Free Guidance scale.' }],
        sampler_name: [[...SAMPLERS], { tooltip: 'The algorithm used when sampling.' }],
        scheduler: [[...SCHEDULERS], { tooltip: 'The scheduler controls how noise is gradually removed to form the image.' }],
        positive: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to include in the image.' }],
        negative: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to exclude from the image.' }],
        latent_image: ['LATENT', { tooltip: 'The latent image to denoise.' }],
        denoise: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.01, tooltip: 'The amount of denoising applied.' }],
      },
      outputs: [['LATENT', 'LATENT']],
      outputTooltips: ['The denoised latent.'],
    }),
    spreadsLatency: true,
    run: async (ctx, inputs) => {
      expectKind(inputs.model, 'MODEL', 'model');
      const positive = expectKind(inputs.positive, 'CONDITIONING', 'positive');
      const latent = expectKind(inputs.latent_image, 'LATENT', 'latent_image');
      const seed = seed32(inputs.seed as number);
      await sampleSteps(ctx, latent, seed, inputs.steps as number);
      const sampled: Latent = { ...latent, seed: (seed ^ hashText(positive.text) ^ (latent.imageSeed ?? 0)) >>> 0, text: positive.text };
      return { outputs: [sampled] };
    },
  };

  const VAEDecode: NodeBehaviour = {
    definition: defineNode({
      name: 'VAEDecode',
      displayName: 'VAE Decode',
      category: 'latent',
      description: 'Decodes latent images back into pixel space images.',
      required: {
        samples: ['LATENT', { tooltip: 'The latent to be decoded.' }],
        vae: ['VAE', { tooltip: 'The VAE model used for decoding the latent.' }],
      },
      outputs: [['IMAGE', 'IMAGE']],
      outputTooltips: ['The decoded image.'],
    }),
    run: (_ctx, inputs) => {
      const latent = expectKind(inputs.samples, 'LATENT', 'samples');
      expectKind(inputs.vae, 'VAE', 'vae');
      return {
        outputs: [
          {
            kind: 'IMAGE',
            width: latent.width,
            height: latent.height,
            count: latent.batch * latent.frames,
            framesPerItem: latent.frames,
            source: { type: 'synth', seed: latent.seed ?? 0, text: latent.text },
            inverted: false,
          },
        ],
      };
    },
  };

  const VAEEncode: NodeBehaviour = {
    definition: defineNode({
      name: 'VAEEncode',
      displayName: 'VAE Encode',
      category: 'latent',
      required: { pixels: ['IMAGE'], vae: ['VAE'] },
      outputs: [['LATENT', 'LATENT']],
    }),
    run: (ctx, inputs) => {
      const pixels = expectKind(inputs.pixels, 'IMAGE', 'pixels');
      expectKind(inputs.vae, 'VAE', 'vae');
      const latent: Latent = { kind: 'LATENT', width: pixels.width, height: pixels.height, batch: pixels.count, frames: 1, imageSeed: imageSeedOf(pixels, ctx.files) };
      return { outputs: [latent] };
    },
  };

  return { CheckpointLoaderSimple, CLIPTextEncode, EmptyLatentImage, KSampler, VAEDecode, VAEEncode };
}
