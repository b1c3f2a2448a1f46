import type { Scan, ScanContext } from './scan';
import { readVorbisComment } from './vorbisComment';

const VORBIS_COMMENT = 4;
const INVALID_BLOCK = 127;

/**
 * Reads a FLAC's VORBIS_COMMENT block: `fLaC`, then metadata blocks `header:u8 (bit 7 = last,
 * bits 0-6 = type) length:u24be body`, skipping the others (pictures, seek tables) by length.
 */
export function* scanFlac(ctx: ScanContext): Scan {
  let position = 4;
  for (;;) {
    ctx.step(position);
    const header = ctx.cursor(yield* ctx.read(position, 4, 'metadata block header'), position);
    const flags = header.u8('block type');
    const length = header.u24be('block length');
    const type = flags & 0x7f;
    if (type === INVALID_BLOCK) throw ctx.malformed('invalid metadata block type 127', position);
    const bodyStart = position + 4;
    if (type === VORBIS_COMMENT) {
      readVorbisComment(ctx, yield* ctx.read(bodyStart, length, 'VORBIS_COMMENT block'), bodyStart);
      return;
    }
    if (bodyStart + length > ctx.size) throw ctx.malformed('metadata block runs past the end of the file (truncated?)', position);
    if (flags & 0x80) return;
    position = bodyStart + length;
  }
}
