import { encodePng } from './encodePng';
import { fitSize } from './fitSize';
import { renderPlaceholder } from './renderPlaceholder';

/** Side limits of {@link placeholderPng}: rendering happens per request, so it stays cheap. */
export const PLACEHOLDER_PNG_SIDE = { min: 8, max: 512 } as const;

/** Inputs of {@link placeholderPng}. */
export interface PlaceholderPngOptions {
  /** Requested width; fitted into {@link PLACEHOLDER_PNG_SIDE} with the height, keeping the aspect ratio. */
  readonly width: number;
  /** Requested height. */
  readonly height: number;
  /** Picks the colours and shapes. */
  readonly seed: number;
  /** Mixed into the seed (e.g. the prompt text). */
  readonly text?: string;
  /** Animation frame index; default 0. */
  readonly frame?: number;
}

/**
 * Encodes a deterministic, colourful placeholder picture as an opaque 8-bit RGB PNG.
 * Different seeds (or texts) give visibly different pictures; `frame` moves them a little.
 * The size is fitted into 8..512 px per side (aspect ratio kept where possible).
 * @param opts Size, seed, optional text and frame.
 * @returns The PNG file bytes.
 * @throws RangeError when width or height is not a finite number > 0.
 * @example res.setHeader('Content-Type', 'image/png').end(placeholderPng({ width: 512, height: 512, seed: 42 }));
 */
export function placeholderPng(opts: PlaceholderPngOptions): Buffer {
  return encodePng(renderPlaceholder({ ...opts, ...fitSize(opts.width, opts.height, PLACEHOLDER_PNG_SIDE) }));
}

