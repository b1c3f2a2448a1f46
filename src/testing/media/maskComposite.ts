import { PNG } from 'pngjs';
import { PNG_SIGNATURE, pngChunk } from './pngChunk';

/** Text chunk types a PIL `PngInfo` round trip keeps. */
const TEXT_CHUNKS = new Set(['tEXt', 'iTXt', 'zTXt']);

/** The raw text chunks of a PNG (type, data), in file order. */
function textChunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const found: Array<{ type: string; data: Buffer }> = [];
  let position = PNG_SIGNATURE.length;
  while (position + 8 <= png.length) {
    const length = png.readUInt32BE(position);
    const type = png.toString('latin1', position + 4, position + 8);
    const end = position + 12 + length;
    if (end > png.length || type === 'IEND') break;
    if (TEXT_CHUNKS.has(type)) found.push({ type, data: png.subarray(position + 8, position + 8 + length) });
    position = end;
  }
  return found;
}

/** The composite could not be made (a mask of another size): ComfyUI's `putalpha` raises, a 500. */
export class MaskSizeError extends Error {
  constructor(original: { width: number; height: number }, mask: { width: number; height: number }) {
    super(`mask ${mask.width}x${mask.height} does not fit the image ${original.width}x${original.height}`);
    this.name = 'MaskSizeError';
  }
}

/**
 * What `POST /upload/mask` stores: the original converted to RGBA with the mask's alpha channel
 * (a mask without alpha is opaque), saved as a new PNG that keeps the original's text chunks
 * (ComfyUI 0.8.0's `image_save_function`: `original.convert('RGBA').putalpha(mask.getchannel('A'))`).
 * @throws MaskSizeError when the sizes differ; pngjs' error when either is not a PNG.
 */
export function maskComposite(original: Buffer, mask: Buffer): Buffer {
  const base = PNG.sync.read(original);
  const alpha = PNG.sync.read(mask);
  if (base.width !== alpha.width || base.height !== alpha.height) throw new MaskSizeError(base, alpha);
  const out = new PNG({ width: base.width, height: base.height, colorType: 6, inputColorType: 6, inputHasAlpha: true });
  for (let i = 0; i < base.data.length; i += 4) {
    out.data[i] = base.data[i] ?? 0;
    out.data[i + 1] = base.data[i + 1] ?? 0;
    out.data[i + 2] = base.data[i + 2] ?? 0;
    out.data[i + 3] = alpha.data[i + 3] ?? 255;
  }
  const encoded = PNG.sync.write(out, { colorType: 6 });
  const text = textChunks(original).map(({ type, data }) => pngChunk(type, data));
  if (text.length === 0) return encoded;
  const ihdrEnd = PNG_SIGNATURE.length + 12 + encoded.readUInt32BE(PNG_SIGNATURE.length);
  return Buffer.concat([encoded.subarray(0, ihdrEnd), ...text, encoded.subarray(ihdrEnd)]);
}
