import { PNG } from 'pngjs';
import type { FileStore, ImageRecipe } from '../server/fileStore';
import { encodePng } from './encodePng';
import { placeholderPng } from './placeholderPng';

/** Largest side rendered for a solid-colour picture (bigger requests are scaled down, like placeholders). */
const MAX_SOLID_SIDE = 2048;

function solidPng(width: number, height: number, color: number): Buffer {
  const scale = Math.min(1, MAX_SOLID_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const data = Buffer.alloc(w * h * 4);
  const pixel = (((color >> 16) & 0xff) << 24) | (((color >> 8) & 0xff) << 16) | ((color & 0xff) << 8) | 0xff;
  for (let offset = 0; offset < data.length; offset += 4) data.writeUInt32BE(pixel >>> 0, offset);
  return encodePng({ width: w, height: h, data });
}

/**
 * ComfyUI's inverse of an 8-bit sample, in float32 as it computes it: LoadImage divides by 255,
 * ImageInvert takes `1.0 - x`, SaveImage multiplies by 255 and truncates to uint8. So 250 becomes
 * 4, not 5 (recorded: an upload's (10, 250, 250) saved inverted as (245, 4, 4)).
 */
const INVERTED: Uint8Array = Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.max(0, Math.floor(Math.fround(255 * Math.fround(1 - Math.fround(v / 255)))))));

/** Decodes an uploaded PNG (any colour type or depth, through pngjs) and encodes its inverse. */
function invertPng(bytes: Buffer): Buffer {
  const png = PNG.sync.read(bytes);
  const data = png.data;
  for (let i = 0; i < data.length; i += 4) {
    data[i] = INVERTED[data[i] ?? 0] ?? 0;
    data[i + 1] = INVERTED[data[i + 1] ?? 0] ?? 0;
    data[i + 2] = INVERTED[data[i + 2] ?? 0] ?? 0;
  }
  return encodePng({ width: png.width, height: png.height, data });
}

function isPng(bytes: Buffer): boolean {
  return bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47;
}

/**
 * Renders one saved picture as PNG bytes: EmptyImage colours and uploaded PNGs are exact (and
 * really inverted by ImageInvert); decoded latents become seeded placeholders. Every picture is
 * encoded by `encodePng` (opaque 8-bit RGB), the one PNG encoder of the fake.
 * @param files Holds the uploaded sources of `file` recipes.
 */
export function renderImage(recipe: ImageRecipe, files: FileStore): Buffer {
  const { source, width, height, inverted } = recipe;
  switch (source.type) {
    case 'solid':
      return solidPng(width, height, inverted ? source.color ^ 0xffffff : source.color);
    case 'file': {
      const stored = files.getByKey(source.fileKey);
      if (stored?.content.kind === 'bytes' && isPng(stored.content.data)) {
        return inverted ? invertPng(stored.content.data) : stored.content.data;
      }
      const fallback = placeholderPng({ width, height, seed: recipe.item, text: source.fileKey });
      return inverted ? invertPng(fallback) : fallback;
    }
    case 'synth': {
      const png = placeholderPng({ width, height, seed: (source.seed + recipe.item) % 2 ** 32, text: source.text, frame: recipe.frame });
      return inverted ? invertPng(png) : png;
    }
    default: {
      const exhaustive: never = source;
      return exhaustive;
    }
  }
}

/** Reads width and height from a PNG's IHDR chunk (`undefined` if the bytes are not a PNG). */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (!isPng(bytes) || bytes.length < 24) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
