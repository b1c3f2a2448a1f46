import type { ImageRecipe } from '../server/fileStore';
/**
 * Values that flow along the links of a workflow inside the fake server. They are recipes, not
 * tensors: an image batch knows its size, where its pixels come from and how many frames it has,
 * so the files a saver writes can be rendered later, on demand, by `GET /view`.
 */

/** Where the pixels of an image batch come from. */
export type ImageSource =
  /** `EmptyImage`: one colour (0xRRGGBB). */
  | { readonly type: 'solid'; readonly color: number }
  /** `LoadImage`: an uploaded input file (its key in the file store). */
  | { readonly type: 'file'; readonly fileKey: string }
  /** A decoded latent: a placeholder picture picked by seed and prompt text. */
  | { readonly type: 'synth'; readonly seed: number; readonly text?: string };

/** `IMAGE`: a batch of `count` pictures (`framesPerItem` consecutive ones form one video). */
export interface ImageBatch {
  readonly kind: 'IMAGE';
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly framesPerItem: number;
  readonly source: ImageSource;
  /** `ImageInvert` applied an odd number of times. */
  readonly inverted: boolean;
}

/** `LATENT`: size, batch and (for video) frames; seed and text once sampled. */
export interface Latent {
  readonly kind: 'LATENT';
  readonly width: number;
  readonly height: number;
  readonly batch: number;
  readonly frames: number;
  readonly seed?: number;
  readonly text?: string;
  /** Encoded from pictures (`VAEEncode`, `LTXVImgToVideo`): a hash of their pixels' source, mixed into the sampled seed. */
  readonly imageSeed?: number;
}

/** `MODEL`, `CLIP`, `VAE`: the file they were loaded from. */
export interface ModelPart {
  readonly kind: 'MODEL' | 'CLIP' | 'VAE';
  readonly name: string;
}

/** `CONDITIONING`: the encoded prompt text. */
export interface Conditioning {
  readonly kind: 'CONDITIONING';
  readonly text: string;
  readonly frameRate?: number;
}

/** `MASK` */
export interface Mask {
  readonly kind: 'MASK';
  readonly width: number;
  readonly height: number;
  readonly count: number;
}

/** `SAMPLER` and `SIGMAS` of the custom-sampling nodes. */
export interface SamplerChoice {
  readonly kind: 'SAMPLER';
  readonly name: string;
}
export interface Sigmas {
  readonly kind: 'SIGMAS';
  readonly steps: number;
}

/** Anything a node output slot can hold. */
export type SimValue = ImageBatch | Latent | ModelPart | Conditioning | Mask | SamplerChoice | Sigmas;

/** Narrows an input value to one kind, or throws the error a Python node would raise. */
export function expectKind<K extends SimValue['kind']>(value: unknown, kind: K, inputName: string): Extract<SimValue, { kind: K }> {
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === kind) {
    return value as Extract<SimValue, { kind: K }>;
  }
  throw new TypeError(`input '${inputName}' is not a ${kind}`);
}

/** A stable 32-bit hash of a string (FNV-1a), used to mix prompt text into seeds. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A number standing for the pixels of an image batch (an uploaded file by its bytes): encoded latents carry it, so outputs differ per input. */
export function imageSeedOf(images: ImageBatch, files: { getByKey(key: string): { readonly content: { readonly kind: string; readonly data?: Buffer } } | undefined }): number {
  const source = images.source;
  let seed: number;
  if (source.type === 'file') {
    const stored = files.getByKey(source.fileKey)?.content;
    seed = stored?.kind === 'bytes' && stored.data ? hashText(stored.data.toString('latin1')) : hashText(source.fileKey);
  } else seed = source.type === 'solid' ? source.color : source.seed;
  return (seed ^ (images.inverted ? 0x5a5a5a5a : 0)) >>> 0;
}

/** How to render picture `index` of a batch (its item and frame), for the file store. */
export function imageRecipe(images: ImageBatch, index: number): ImageRecipe {
  return {
    width: images.width,
    height: images.height,
    source: images.source,
    inverted: images.inverted,
    item: Math.floor(index / images.framesPerItem),
    frame: index % images.framesPerItem,
  };
}
