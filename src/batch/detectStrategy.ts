import type { Workflow } from '../protocol/api';
import type { Strategy } from './strategy';
import { text2image } from './text2image';
import { VIDEO_LATENTS, text2video } from './text2video';

/** Save nodes that write animations. */
const ANIMATION_SAVERS = ['SaveAnimatedWEBP', 'SaveAnimatedPNG', 'SaveWEBM', 'SaveVideo'];

/**
 * The built-in strategy that fits a workflow: {@link text2video} when it has a video latent or an
 * animation save node, {@link text2image} otherwise (no settings).
 */
export function detectStrategy(workflow: Workflow): Strategy {
  const video = Object.values(workflow).some((node) => VIDEO_LATENTS.includes(node.class_type) || ANIMATION_SAVERS.includes(node.class_type));
  return video ? text2video() : text2image();
}
