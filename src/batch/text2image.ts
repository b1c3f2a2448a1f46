import type { Workflow } from '../protocol/api';
import { checkStrategySettings } from './strategySettings';
import { type ClassInput, type LocatorSpec, type PathOverrides, SAVE_PREFIX_PLACES, SEED_PLACES, STEPS_PLACES, type Strategy, type StrategySettings, locateByClass } from './strategy';

/** Image latents: `[class_type, width/height/batch input]`. */
const IMAGE_LATENTS = ['EmptyLatentImage', 'EmptySD3LatentImage'];
const latent = (input: string): ClassInput[] => IMAGE_LATENTS.map((classType) => [classType, input] as const);

/** What {@link text2image} searches. */
export const TEXT2IMAGE_SPEC: LocatorSpec = {
  name: 'text2image',
  places: {
    seed: SEED_PLACES,
    width: latent('width'),
    height: latent('height'),
    length: [],
    batchSize: latent('batch_size'),
    steps: STEPS_PLACES,
    filenamePrefix: SAVE_PREFIX_PLACES,
    image: [],
  },
  required: ['seed'],
};

/** Settings of {@link text2image}. */
export type Text2ImageSettings = Omit<StrategySettings, 'length'>;

/**
 * Text to image: the description goes into the text encoder the sampler's `positive` leads to,
 * the seed into `KSampler.seed` / `KSamplerAdvanced.noise_seed` / `SamplerCustom.noise_seed` /
 * `RandomNoise.noise_seed`; `width`, `height`, `batchSize` into `EmptyLatentImage` or
 * `EmptySD3LatentImage`, `steps` into the sampler or scheduler, `filenamePrefix` into the save nodes.
 * @throws ComfyOptionsError when a setting is invalid (not a positive integer, empty prefix).
 * ```ts
 * generate({ target: comfy, workflow, descriptions, strategy: text2image({ width: 768, steps: 25 }) })
 * ```
 */
export function text2image(settings: Text2ImageSettings = {}): Strategy {
  const frozen = checkStrategySettings('text2image', settings);
  return {
    name: 'text2image',
    noun: 'image',
    settings: frozen,
    locate: (workflow: Workflow, overrides?: PathOverrides) => locateByClass(TEXT2IMAGE_SPEC, workflow, frozen, overrides),
  };
}
