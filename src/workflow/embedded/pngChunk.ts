import { crc32 } from 'node:zlib';

/** The 8-byte signature every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Serialises one PNG chunk: big-endian length, 4-letter type, data, CRC-32 over type and data.
 * @param type Four ASCII letters, e.g. `'IDAT'`, `'fcTL'`.
 * @param data Chunk payload (may be empty).
 * @throws RangeError when `type` is not four ASCII letters.
 * @example pngChunk('IEND', Buffer.alloc(0));
 */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  if (!/^[A-Za-z]{4}$/.test(type)) throw new RangeError(`PNG chunk type must be 4 ASCII letters (got '${type}')`);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
