import { latin1Text } from './byteCursor';
import { pathOf, readJsonDocument } from './jsonDocument';
import { MAX_METADATA_BYTES, READ_WINDOW_BYTES } from './limits';
import type { Scan, ScanContext, ScanStep } from './scan';

/** SaveSVGNode puts its `<metadata>` right after the opening `<svg>` tag: look for it this far. */
const METADATA_SEARCH_BYTES = 4 * 1024 * 1024;

/**
 * Reads an SVG (SaveSVGNode): `<metadata><![CDATA[ {"prompt": {...}, "workflow": {...}} ]]></metadata>`
 * after the opening `<svg ...>` tag, reading windows that double until the CDATA section ends.
 */
export function* scanSvg(ctx: ScanContext): Scan {
  const head = yield* readUntil(ctx, '<![CDATA[', 0, METADATA_SEARCH_BYTES);
  if (head === undefined || !/<metadata[^>]*>\s*$/.test(latin1Text(head.before))) return;
  const body = yield* readUntil(ctx, ']]>', head.after, MAX_METADATA_BYTES);
  if (body === undefined) throw ctx.malformed('the metadata CDATA section never ends', head.after);
  readJsonDocument(ctx, body.before, head.after, 'SVG metadata', (document) => ({ prompt: pathOf(document, 'prompt'), workflow: pathOf(document, 'workflow') }));
}

/**
 * Reads from `start` in doubling windows until `marker` appears, at most `limit` bytes.
 * @returns The bytes before the marker and the file position after it; `undefined` when it does not come.
 */
function* readUntil(ctx: ScanContext, marker: string, start: number, limit: number): ScanStep<{ before: Uint8Array; after: number } | undefined> {
  let length = Math.min(READ_WINDOW_BYTES, limit, ctx.size - start);
  for (;;) {
    ctx.step(start + length);
    const bytes = yield* ctx.read(start, length, 'SVG text');
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(marker, 0, 'latin1');
    if (at >= 0) return { before: bytes.subarray(0, at), after: start + at + marker.length };
    if (start + length >= ctx.size || length >= limit) return undefined;
    length = Math.min(2 * length, limit, ctx.size - start);
  }
}
