import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { HASH_CACHE_ENTRIES, READ_CHUNK_BYTES } from './constants';

/** File hashes by identity and version (device, inode, size, mtime): a file shared by many prompts is hashed once. */
const cache = new Map<string, Promise<string>>();

const keyOf = (stats: Stats): string => `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;

/**
 * The hex SHA-256 of a file, read as a stream (memory stays small whatever its size). Remembered
 * per process for the same file unchanged (same device, inode, size and modification time), so
 * a batch whose prompts share one picture reads it once.
 * @param stats The file's `stat`, taken by the caller (who already checked it is a file).
 */
export function hashFile(path: string, stats: Stats): Promise<string> {
  const key = keyOf(stats);
  const known = cache.get(key);
  if (known) return known;
  const pending = new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  if (cache.size > HASH_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return pending;
}
