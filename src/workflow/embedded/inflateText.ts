import { inflateSync } from 'node:zlib';
import { MAX_FIELD_BYTES } from './limits';
import type { ScanContext } from './scan';

/**
 * Inflates a zlib stream (PNG `zTXt`, compressed `iTXt`) with its output capped at
 * {@link MAX_FIELD_BYTES}: a zip bomb or a broken stream is a typed error.
 */
export function inflateText(ctx: ScanContext, data: Uint8Array, offset: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: MAX_FIELD_BYTES });
  } catch (cause) {
    throw ctx.malformed('compressed text does not inflate (broken, or larger than the limit)', offset, cause);
  }
}
