/**
 * The fake ComfyUI server's media, one folder: deterministic pictures and animations (PNG, APNG,
 * lossless WebP, solid-colour JPEG previews), the rendering of stored files, content types.
 */
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
export { solidJpeg } from './solidJpeg';
export { previewJpeg } from './previewJpeg';
export { renderImage, pngSize } from './renderImage';
export { FileRenderer } from './renderFile';
export type { RenderedFile } from './renderFile';
