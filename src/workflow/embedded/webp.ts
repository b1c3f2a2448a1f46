import { printable } from './byteCursor';
import { readExifText } from './exifText';
import type { Scan, ScanContext } from './scan';

/**
 * Reads a WebP's `EXIF` chunk: `RIFF size:u32le WEBP`, then chunks `fourcc size:u32le data`
 * (plus a pad byte when the size is odd), skipping the image and frame chunks by their size.
 */
export function* scanWebp(ctx: ScanContext): Scan {
  const riff = ctx.cursor(yield* ctx.read(0, 12, 'RIFF header'), 0);
  riff.skip(4, 'RIFF');
  const end = Math.min(ctx.size, 8 + riff.u32('RIFF size', true));
  let position = 12;
  while (position + 8 <= end) {
    ctx.step(position);
    const header = ctx.cursor(yield* ctx.read(position, 8, 'chunk header'), position);
    const fourCC = header.fourCC('chunk FourCC');
    const size = header.u32('chunk size', true);
    const dataStart = position + 8;
    if (fourCC === 'EXIF') {
      readExifText(ctx, yield* ctx.read(dataStart, size, 'EXIF chunk'), dataStart);
      return;
    }
    if (dataStart + size > ctx.size) throw ctx.malformed(`chunk '${printable(fourCC)}' runs past the end of the file (truncated?)`, position);
    position = dataStart + size + (size & 1);
  }
}
