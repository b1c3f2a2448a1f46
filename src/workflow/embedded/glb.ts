import { pathOf, readJsonDocument } from './jsonDocument';
import type { Scan, ScanContext } from './scan';

/**
 * Reads a binary glTF (SaveGLB): 12-byte header (`glTF`, version, length; little-endian), then the
 * first chunk `length:u32le type:'JSON'`, whose `asset.extras` holds `prompt` and `workflow`
 * (JSON strings, or objects from other writers).
 */
export function* scanGlb(ctx: ScanContext): Scan {
  const header = ctx.cursor(yield* ctx.read(0, 20, 'GLB header'), 0);
  header.skip(12, 'GLB header');
  const length = header.u32('JSON chunk length', true);
  if (header.fourCC('first chunk type') !== 'JSON') throw ctx.malformed('first chunk is not JSON', 16);
  readJsonDocument(ctx, yield* ctx.read(20, length, 'JSON chunk'), 20, 'JSON chunk', (document) => pathOf(document, 'asset', 'extras'));
}
