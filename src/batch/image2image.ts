import type { Workflow } from '../protocol/api';
import { checkStrategySettings } from './strategySettings';
import { LOAD_IMAGE_PLACES, type LocatorSpec, type PathOverrides, SAVE_PREFIX_PLACES, SEED_PLACES, STEPS_PLACES, type Strategy, locateByClass } from './strategy';
import { singleImagePlace } from './singleImagePlace';

/** What {@link image2image} searches. */
export const IMAGE2IMAGE_SPEC: LocatorSpec = {
  name: 'image2image',
  places: {
    seed: SEED_PLACES,
    width: [],
    height: [],
    length: [],
    batchSize: [],
    steps: STEPS_PLACES,
    filenamePrefix: SAVE_PREFIX_PLACES,
    image: LOAD_IMAGE_PLACES,
  },
  required: ['image', 'seed'],
  textOptional: true,
};

/** Settings of {@link image2image}. */
export interface Image2ImageSettings {
  readonly steps?: number;
  readonly filenamePrefix?: string;
}

/**
 * Image to image (img2img, upscaling, editing models that take a reference picture): each input
 * file goes into the template's Load node (`LoadImage` / `LoadImageOutput`, found by class; one
 * only, or say which with `paths.image`), uploaded to the server that runs the item; the seed
 * into the sampler; the description, when descriptions are given, into the text encoder the
 * sampler's `positive` leads to (optional: a template without a prompt takes no descriptions).
 * @throws ComfyOptionsError when a setting is invalid.
 * ```ts
 * generate({ target: comfy, workflow, inputs: ['a.png', 'b.png'], strategy: image2image({ steps: 20 }) })
 * ```
 */
export function image2image(settings: Image2ImageSettings = {}): Strategy {
  const frozen = checkStrategySettings('image2image', settings);
  return {
    name: 'image2image',
    noun: 'image',
    settings: frozen,
    locate: (workflow: Workflow, overrides?: PathOverrides) => singleImagePlace('image2image', workflow, locateByClass(IMAGE2IMAGE_SPEC, workflow, frozen, overrides), overrides),
  };
}
