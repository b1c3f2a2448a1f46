/**
 * Serialises one RIFF chunk (WebP): FourCC, little-endian payload size, payload, and one zero pad
 * byte when the size is odd.
 * @example riffChunk('EXIF', exifBytes);
 */
export function riffChunk(fourCC: string, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + payload.length + (payload.length & 1));
  out.write(fourCC, 0, 'latin1');
  out.writeUInt32LE(payload.length, 4);
  out.set(payload, 8);
  return out;
}

/**
 * A WebP file from its chunks: `RIFF size:u32le WEBP` then the chunks (each from {@link riffChunk}).
 * @example webpFile([riffChunk('VP8X', vp8x), riffChunk('ANIM', anim), ...frames]);
 */
export function webpFile(chunks: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}
