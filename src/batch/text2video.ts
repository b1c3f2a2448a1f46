import type { Workflow } from '../protocol/api';
import { checkStrategySettings } from './strategySettings';
import { type ClassInput, type LocatorSpec, type PathOverrides, SAVE_PREFIX_PLACES, SEED_PLACES, STEPS_PLACES, type Strategy, type StrategySettings, locateByClass } from './strategy';

/** Video latents, all with `width`, `height`, `length`, `batch_size`. */
export const VIDEO_LATENTS = ['EmptyLTXVLatentVideo', 'EmptyHunyuanLatentVideo', 'EmptyMochiLatentVideo', 'EmptyCosmosLatentVideo'];
const latent = (input: string): ClassInput[] => VIDEO_LATENTS.map((classType) => [classType, input] as const);

/** What {@link text2video} searches. */
export const TEXT2VIDEO_SPEC: LocatorSpec = {
  name: 'text2video',
  places: {
    seed: SEED_PLACES,
    width: latent('width'),
    height: latent('height'),
    length: latent('length'),
    batchSize: latent('batch_size'),
    steps: STEPS_PLACES,
    filenamePrefix: SAVE_PREFIX_PLACES,
    image: [],
  },
  required: ['seed'],
};

/**
 * Text to video (LTX-Video, Hunyuan Video, Mochi, Cosmos graphs): the description goes into the
 * text encoder the sampler's `positive` leads to (through `LTXVConditioning` and the like), the
 * seed into the sampler or `RandomNoise`; `width`, `height`, `length` (frames), `batchSize` into
 * the video latent (`EmptyLTXVLatentVideo`, `EmptyHunyuanLatentVideo`...), `steps` into the sampler
 * or scheduler (`LTXVScheduler`), `filenamePrefix` into `SaveAnimatedWEBP` / `SaveWEBM` / `SaveVideo`...
 * @throws ComfyOptionsError when a setting is invalid (not a positive integer, empty prefix).
 * ```ts
 * generate({ target: comfy, workflow, descriptions, strategy: text2video({ length: 49 }) })
 * ```
 */
export function text2video(settings: StrategySettings = {}): Strategy {
  const frozen = checkStrategySettings('text2video', settings);
  return {
    name: 'text2video',
    noun: 'video',
    settings: frozen,
    locate: (workflow: Workflow, overrides?: PathOverrides) => locateByClass(TEXT2VIDEO_SPEC, workflow, frozen, overrides),
  };
}
