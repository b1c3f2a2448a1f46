/** Placeholder media for the fake ComfyUI server: deterministic pictures and animations, content types. */
export { placeholderPng, PLACEHOLDER_PNG_SIDE } from './placeholderPng';
export type { PlaceholderPngOptions } from './placeholderPng';
export { animatedPng } from './animatedPng';
export { animatedWebp } from './animatedWebp';
export { ANIMATION_LIMITS, fitAnimation } from './animationOptions';
export type { AnimationOptions, FittedAnimation } from './animationOptions';
export { renderPlaceholder } from './renderPlaceholder';
export type { PlaceholderPicture, RgbaImage } from './renderPlaceholder';
export { encodePng } from './encodePng';
export { encodeVp8l } from './encodeVp8l';
export { mimeOf, DEFAULT_MIME } from './mimeOf';
