import { ComfyMalformedFileError } from '../../errors';
import { PNG_SIGNATURE, pngChunk } from './pngChunk';
import { pythonJson } from './pythonJson';

/** What a saver embeds: `prompt` first, then each `extra_pnginfo` key (normally `workflow`). */
export type PngMetadata = Readonly<Record<string, unknown>>;

const TEXT_CHUNKS = new Set(['tEXt', 'iTXt', 'zTXt', 'comf']);

function checkKeyword(key: string): void {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(key)) {
    throw new RangeError(`PNG text keyword must be 1-79 printable Latin-1 characters (got ${JSON.stringify(key)})`);
  }
}

/**
 * Embeds ComfyUI metadata in a PNG as SaveImage does (PIL `PngInfo.add_text`): one `tEXt` chunk
 * per key, `prompt` first, then the other keys in order, each value as Python's `json.dumps`
 * writes it; the chunks go right after `IHDR`, before the image data. Text chunks already
 * carrying one of these keys are dropped (a re-saved picture does not keep its old workflow);
 * keys whose value is `undefined` are left out.
 * With `{ chunk: 'comf' }` it writes what SaveAnimatedPNG writes instead: private `comf` chunks
 * (`keyword NUL json`) after the image data, right before `IEND`.
 * @param png A PNG file (signature, `IHDR` first).
 * @param metadata `{ prompt, ...extra_pnginfo }`, e.g. `{ prompt, workflow }`.
 * @param options `chunk`: `'tEXt'` (default, SaveImage) or `'comf'` (SaveAnimatedPNG).
 * @returns A new PNG; `png` is not modified.
 * @throws RangeError for a key that is not a PNG keyword; ComfyMalformedFileError when `png` is not a PNG.
 * @example const file = embedPngMetadata(encoded, { prompt, workflow: uiWorkflow });
 */
export function embedPngMetadata(png: Uint8Array, metadata: PngMetadata, options: { readonly chunk?: 'tEXt' | 'comf' } = {}): Buffer {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 33 || !PNG_SIGNATURE.every((byte, i) => bytes[i] === byte) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ComfyMalformedFileError('not a PNG (signature and IHDR expected)', 'png', 0);
  }
  const keys = ['prompt', ...Object.keys(metadata).filter((key) => key !== 'prompt')].filter((key) => metadata[key] !== undefined);
  keys.forEach(checkKeyword);
  const replaced = new Set(keys);
  const type = options.chunk ?? 'tEXt';
  const textChunks = keys.map((key) => pngChunk(type, Buffer.concat([Buffer.from(key, 'latin1'), Buffer.of(0), Buffer.from(pythonJson(metadata[key]), 'latin1')])));
  const ihdrEnd = 8 + 12 + bytes.readUInt32BE(8);
  const parts: Uint8Array[] = [bytes.subarray(0, ihdrEnd)];
  if (type === 'tEXt') parts.push(...textChunks);
  let position = ihdrEnd;
  while (position < bytes.length) {
    if (position + 12 > bytes.length) throw new ComfyMalformedFileError('chunk header runs past the end of the file', 'png', position);
    const end = position + 12 + bytes.readUInt32BE(position);
    if (end > bytes.length) throw new ComfyMalformedFileError('chunk runs past the end of the file', 'png', position);
    const chunkType = bytes.toString('latin1', position + 4, position + 8);
    const keyEnd = bytes.indexOf(0, position + 8);
    const keyword = TEXT_CHUNKS.has(chunkType) && keyEnd >= 0 && keyEnd < end ? bytes.toString('latin1', position + 8, keyEnd) : undefined;
    if (chunkType === 'IEND' && type === 'comf') parts.push(...textChunks.splice(0));
    if (keyword === undefined || !replaced.has(keyword)) parts.push(bytes.subarray(position, end));
    position = end;
  }
  if (type === 'comf' && textChunks.length > 0) throw new ComfyMalformedFileError('no IEND chunk to put the comf chunks before', 'png', position);
  return Buffer.concat(parts);
}
