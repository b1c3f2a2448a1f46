import { utf8Text } from './byteCursor';
import type { ScanContext } from './scan';

/** Some savers start the EXIF payload with the JPEG APP1 marker text `Exif\0\0`; PIL's newer versions do not. */
const EXIF_PREFIX = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
/** TIFF field type ASCII (NUL-terminated text). */
const TYPE_ASCII = 2;

/**
 * Reads the ASCII entries of IFD0 of an EXIF/TIFF block and reports each as `key:value`, split at
 * the first `:`. ComfyUI writes `prompt:{...}` in Model (0x0110) and `workflow:{...}` in Make
 * (0x010F), further `extra_pnginfo` keys in 0x010E, 0x010D...; other savers write `Workflow:`.
 * @param start File offset of `data`, for error messages.
 */
export function readExifText(ctx: ScanContext, data: Uint8Array, start: number): void {
  const hasPrefix = EXIF_PREFIX.every((byte, i) => data[i] === byte);
  const tiffStart = hasPrefix ? EXIF_PREFIX.length : 0;
  const tiff = ctx.cursor(data.subarray(tiffStart), start + tiffStart);
  const order = tiff.u16('TIFF byte order', false);
  if (order !== 0x4d4d && order !== 0x4949) throw ctx.malformed('EXIF block lacks its TIFF header (MM or II)', start + tiffStart);
  const little = order === 0x4949;
  if (tiff.u16('TIFF magic', little) !== 42) throw ctx.malformed('EXIF block has a bad TIFF magic number', start + tiffStart);
  tiff.seek(tiff.u32('IFD0 offset', little), 'IFD0 offset');
  const count = tiff.u16('IFD0 entry count', little);
  tiff.need(count * 12, 'IFD0 entries');
  for (let i = 0; i < count; i++) {
    tiff.u16('tag', little);
    const type = tiff.u16('type', little);
    const length = tiff.u32('count', little);
    const valueField = tiff.position;
    tiff.skip(4, 'value');
    if (type !== TYPE_ASCII) continue;
    let bytes: Uint8Array;
    if (length <= 4) {
      bytes = tiff.bytes.subarray(valueField, valueField + length);
    } else {
      const after = tiff.position;
      tiff.seek(valueField, 'value');
      tiff.seek(tiff.u32('value offset', little), 'ASCII value offset');
      bytes = tiff.take(length, 'ASCII value');
      tiff.seek(after, 'next entry');
    }
    const text = utf8Text(bytes).replace(/\0+$/, '');
    const colon = text.indexOf(':');
    if (colon > 0) ctx.fields.add(text.slice(0, colon), () => text.slice(colon + 1));
  }
}
