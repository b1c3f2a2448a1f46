import { createBLAKE3 } from 'hash-wasm';

/** The v2 content hash of some bytes, as the API writes it: `blake3:<64 hex>`. */
export type ContentHash = `blake3:${string}`;

/**
 * BLAKE3 of bytes (or of chunks as they are read, for files that should not sit in memory whole),
 * written `blake3:<hex>` like the v2 assets API (hash-wasm's WebAssembly BLAKE3).
 * @example await contentHash(fs.createReadStream('photo.png')) // 'blake3:411c25be...'
 */
export async function contentHash(source: Uint8Array | AsyncIterable<Uint8Array | string>): Promise<ContentHash> {
  const hasher = await createBLAKE3();
  hasher.init();
  if (source instanceof Uint8Array) hasher.update(source);
  else for await (const chunk of source) hasher.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return `blake3:${hasher.digest('hex')}`;
}

/** Whether `value` is written like a v2 content hash (`blake3:` and 64 lowercase hex digits). */
export function isContentHash(value: string): value is ContentHash {
  return /^blake3:[0-9a-f]{64}$/.test(value);
}
