import { latin1Text } from './byteCursor';
import { MAX_METADATA_BYTES } from './limits';
import type { Scan, ScanContext } from './scan';
import { readVorbisComment } from './vorbisComment';

/** Bytes before the segment table of an Ogg page. */
const PAGE_HEADER = 27;
/** Per codec (known by its first packet): the comment packet's magic, and the bytes before its comment block. */
const CODECS: readonly { readonly head: string; readonly tags: string; readonly skip: number }[] = [
  { head: 'OpusHead', tags: 'OpusTags', skip: 8 },
  { head: '\x01vorbis', tags: '\x03vorbis', skip: 7 },
  // Ogg FLAC: the second packet is a FLAC VORBIS_COMMENT metadata block (4-byte header).
  { head: '\x7fFLAC', tags: '', skip: 4 },
];

/**
 * Reads the comment header of the first logical stream of an Ogg file (Opus `OpusTags`, Vorbis,
 * FLAC): pages `OggS ... segments:u8 lacing[segments] body`; the second packet of the stream,
 * which may span pages (a 255 lacing value continues it), holds `key=value` comments.
 */
export function* scanOgg(ctx: ScanContext): Scan {
  let position = 0;
  let serial: number | undefined;
  let packetIndex = 0;
  let first = new Uint8Array(0);
  const comment: Uint8Array[] = [];
  let commentBytes = 0;
  let commentStart: number | undefined;
  while (position < ctx.size) {
    ctx.step(position);
    const header = ctx.cursor(yield* ctx.read(position, PAGE_HEADER, 'page header'), position);
    if (header.fourCC('capture pattern') !== 'OggS') throw ctx.malformed('page lacks its OggS capture pattern', position);
    header.skip(10, 'version, flags, granule');
    const pageSerial = header.u32('stream serial', true);
    header.skip(8, 'sequence and CRC');
    const lacing = yield* ctx.read(position + PAGE_HEADER, header.u8('segment count'), 'segment table');
    const bodyStart = position + PAGE_HEADER + lacing.length;
    const bodyLength = lacing.reduce((sum, value) => sum + value, 0);
    serial ??= pageSerial;
    if (pageSerial === serial) {
      const body = yield* ctx.read(bodyStart, bodyLength, 'page body');
      let offset = 0;
      for (const value of lacing) {
        const part = body.subarray(offset, offset + value);
        if (packetIndex === 0 && first.length < 8) first = Uint8Array.from([...first, ...part.subarray(0, 8 - first.length)]);
        if (packetIndex === 1) {
          commentStart ??= bodyStart + offset;
          comment.push(part);
          commentBytes += value;
          if (commentBytes > MAX_METADATA_BYTES) throw ctx.malformed('comment packet is larger than the limit', commentStart);
        }
        offset += value;
        if (value < 255 && packetIndex++ === 1) return readComments(ctx, latin1Text(first), Buffer.concat(comment), commentStart ?? bodyStart);
      }
    }
    position = bodyStart + bodyLength;
  }
}

function readComments(ctx: ScanContext, head: string, packet: Uint8Array, start: number): void {
  const codec = CODECS.find((candidate) => head.startsWith(candidate.head));
  if (codec && latin1Text(packet.subarray(0, codec.tags.length)) === codec.tags) {
    readVorbisComment(ctx, packet.subarray(codec.skip), start + codec.skip);
  }
}
