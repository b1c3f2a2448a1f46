import { utf8Text } from './byteCursor';
import type { ScanContext } from './scan';

/**
 * Reads a Vorbis comment block (FLAC VORBIS_COMMENT, Ogg OpusTags/Vorbis/FLAC):
 * `vendorLen:u32le vendor count:u32le`, then `len:u32le "key=value"` (UTF-8) per comment.
 * @param start File offset of `data`, for error messages.
 */
export function readVorbisComment(ctx: ScanContext, data: Uint8Array, start: number): void {
  const cursor = ctx.cursor(data, start);
  cursor.skip(cursor.u32('vendor length', true), 'vendor string');
  const count = cursor.u32('comment count', true);
  for (let i = 0; i < count; i++) {
    const entry = cursor.take(cursor.u32('comment length', true), 'comment');
    const equals = entry.indexOf(0x3d);
    if (equals <= 0) continue;
    const key = utf8Text(entry.subarray(0, equals));
    ctx.fields.add(key, () => utf8Text(entry.subarray(equals + 1)));
    if (ctx.fields.complete) return;
  }
}
