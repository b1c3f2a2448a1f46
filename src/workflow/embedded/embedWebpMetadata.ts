import { ComfyMalformedFileError } from '../../errors';
import type { PngMetadata } from './embedPngMetadata';
import { pythonJson } from './pythonJson';
import { riffChunk, webpFile } from './riffChunk';

/** VP8X flag: the file has an EXIF chunk. */
const VP8X_EXIF_FLAG = 0x08;
/** EXIF tag of `prompt:` (Model); `extra_pnginfo` keys count down from Make (0x010F). */
const PROMPT_TAG = 0x0110;
const FIRST_EXTRA_TAG = 0x010f;
/** TIFF field type ASCII. */
const TYPE_ASCII = 2;

/** `Exif\0\0` + a big-endian TIFF whose IFD0 holds one ASCII entry per `[tag, text]` (PIL's layout). */
function exifBlock(entries: readonly (readonly [number, string])[]): Buffer {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const ifd = Buffer.alloc(2 + sorted.length * 12 + 4);
  ifd.writeUInt16BE(sorted.length, 0);
  const values: Buffer[] = [];
  let valueOffset = 8 + ifd.length;
  sorted.forEach(([tag, text], i) => {
    const value = Buffer.from(`${text}\0`, 'latin1');
    const entry = 2 + i * 12;
    ifd.writeUInt16BE(tag, entry);
    ifd.writeUInt16BE(TYPE_ASCII, entry + 2);
    ifd.writeUInt32BE(value.length, entry + 4);
    if (value.length <= 4) value.copy(ifd, entry + 8);
    else {
      ifd.writeUInt32BE(valueOffset, entry + 8);
      values.push(value);
      valueOffset += value.length;
    }
  });
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), ifd, ...values]);
}

/**
 * Embeds ComfyUI metadata in an extended WebP as SaveAnimatedWEBP does (PIL `exif=`): an `EXIF`
 * chunk after the frames whose IFD0 holds `prompt:<json>` in Model (0x0110) and `key:<json>` for
 * each `extra_pnginfo` key from Make (0x010F) down; the VP8X EXIF flag is set, an older EXIF
 * chunk dropped.
 * @param webp A WebP with a `VP8X` chunk (animated WebPs always have one).
 * @throws ComfyMalformedFileError when `webp` is not an extended WebP.
 * @example const file = embedWebpMetadata(animated, { prompt, workflow });
 */
export function embedWebpMetadata(webp: Uint8Array, metadata: PngMetadata): Buffer {
  const bytes = Buffer.from(webp.buffer, webp.byteOffset, webp.byteLength);
  if (bytes.length < 30 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 16) !== 'WEBPVP8X') {
    throw new ComfyMalformedFileError('not an extended WebP (RIFF/WEBP with VP8X expected)', 'webp', 0);
  }
  const entries: [number, string][] = [];
  if (metadata.prompt !== undefined) entries.push([PROMPT_TAG, `prompt:${pythonJson(metadata.prompt)}`]);
  let tag = FIRST_EXTRA_TAG;
  for (const [key, value] of Object.entries(metadata)) {
    if (key !== 'prompt' && value !== undefined) entries.push([tag--, `${key}:${pythonJson(value)}`]);
  }
  const chunks: Buffer[] = [];
  for (let position = 12; position + 8 <= bytes.length; ) {
    const size = bytes.readUInt32LE(position + 4);
    const end = position + 8 + size + (size & 1);
    if (position + 8 + size > bytes.length) throw new ComfyMalformedFileError('chunk runs past the end of the file', 'webp', position);
    const fourCC = bytes.toString('latin1', position, position + 4);
    if (fourCC !== 'EXIF') chunks.push(Buffer.from(bytes.subarray(position, Math.min(end, bytes.length))));
    position = end;
  }
  const vp8x = chunks[0] as Buffer;
  vp8x[8] = (vp8x[8] as number) | VP8X_EXIF_FLAG;
  const xmp = chunks.findIndex((chunk) => chunk.toString('latin1', 0, 4) === 'XMP ');
  chunks.splice(xmp < 0 ? chunks.length : xmp, 0, riffChunk('EXIF', exifBlock(entries)));
  return webpFile(chunks);
}
