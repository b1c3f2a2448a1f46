import { pathOf, readJsonDocument } from './jsonDocument';
import type { Scan, ScanContext } from './scan';

/**
 * Reads a `.latent` / `.safetensors` file (SaveLatent): `headerLength:u64le`, then a JSON header
 * whose `__metadata__` holds `prompt` and each `extra_pnginfo` key as JSON text.
 */
export function* scanSafetensors(ctx: ScanContext): Scan {
  const header = ctx.cursor(yield* ctx.read(0, 8, 'header length'), 0);
  const low = header.u32('header length', true);
  if (header.u32('header length', true) !== 0) throw ctx.malformed('header length is impossibly large', 0);
  readJsonDocument(ctx, yield* ctx.read(8, low, 'JSON header'), 8, 'JSON header', (document) => pathOf(document, '__metadata__'));
}
