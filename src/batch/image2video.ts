import type { Workflow } from '../protocol/api';
import { checkStrategySettings } from './strategySettings';
import { type ClassInput, LOAD_IMAGE_PLACES, type LocatorSpec, type PathOverrides, SAVE_PREFIX_PLACES, SEED_PLACES, STEPS_PLACES, type Strategy, type StrategySettings, locateByClass } from './strategy';
import { singleImagePlace } from './singleImagePlace';
import { VIDEO_LATENTS } from './text2video';

/** Image-to-video conditioning nodes, all with `width`, `height`, `length`, `batch_size`. */
export const IMAGE_TO_VIDEO_NODES = ['LTXVImgToVideo', 'WanImageToVideo', 'WanFirstLastFrameToVideo', 'HunyuanImageToVideo', 'CosmosImageToVideoLatent'];
const sized = (input: string): ClassInput[] => [...IMAGE_TO_VIDEO_NODES, ...VIDEO_LATENTS].map((classType) => [classType, input] as const);

/** What {@link image2video} searches. */
export const IMAGE2VIDEO_SPEC: LocatorSpec = {
  name: 'image2video',
  places: {
    seed: SEED_PLACES,
    width: sized('width'),
    height: sized('height'),
    length: sized('length'),
    batchSize: sized('batch_size'),
    steps: STEPS_PLACES,
    filenamePrefix: SAVE_PREFIX_PLACES,
    image: LOAD_IMAGE_PLACES,
  },
  required: ['image', 'seed'],
  textOptional: true,
};

/**
 * Image to video (LTX-Video `LTXVImgToVideo`, Wan `WanImageToVideo`...): each input picture goes
 * into the Load node feeding the video model (found by class; one only, or `paths.image`),
 * uploaded to the server that runs the item; the description, when descriptions are given, into
 * the text encoder the sampler's `positive` leads to; `width`, `height`, `length` (frames),
 * `batchSize` into the image-to-video node; `steps`, `filenamePrefix` as `text2video` does.
 * @throws ComfyOptionsError when a setting is invalid.
 * ```ts
 * generate({ target: comfy, workflow, inputs: stills, descriptions: ['slow zoom'], strategy: image2video({ length: 49 }) })
 * ```
 */
export function image2video(settings: StrategySettings = {}): Strategy {
  const frozen = checkStrategySettings('image2video', settings);
  return {
    name: 'image2video',
    noun: 'video',
    settings: frozen,
    locate: (workflow: Workflow, overrides?: PathOverrides) => singleImagePlace('image2video', workflow, locateByClass(IMAGE2VIDEO_SPEC, workflow, frozen, overrides), overrides),
  };
}
