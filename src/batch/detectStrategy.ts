import type { Workflow } from '../protocol/api';
import type { Strategy } from './strategy';
import { text2image } from './text2image';
import { VIDEO_LATENTS, text2video } from './text2video';
import { image2image } from './image2image';
import { IMAGE_TO_VIDEO_NODES, image2video } from './image2video';

/** Save nodes that write animations. */
const ANIMATION_SAVERS = ['SaveAnimatedWEBP', 'SaveAnimatedPNG', 'SaveWEBM', 'SaveVideo'];

/**
 * The built-in strategy that fits a workflow: {@link text2video} when it has a video latent, an
 * image-to-video node or an animation save node, {@link text2image} otherwise (no settings); with
 * input files, {@link image2video} and {@link image2image} instead.
 */
export function detectStrategy(workflow: Workflow, withInputs = false): Strategy {
  const video = Object.values(workflow).some((node) => VIDEO_LATENTS.includes(node.class_type) || IMAGE_TO_VIDEO_NODES.includes(node.class_type) || ANIMATION_SAVERS.includes(node.class_type));
  if (withInputs) return video ? image2video() : image2image();
  return video ? text2video() : text2image();
}
