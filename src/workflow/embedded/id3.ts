import type { ByteCursor } from './byteCursor';
import { latin1Text, printable } from './byteCursor';
import type { Scan, ScanContext } from './scan';

/** Tag header flags. */
const TAG_UNSYNCHRONISED = 0x80;
const TAG_EXTENDED_HEADER = 0x40;

/**
 * Reads `TXXX` frames of an ID3v2 tag at the start of a file (MP3 from SaveAudioMP3: ID3v2.4,
 * `TXXX` with description `prompt`/`workflow`). Handles v2.2 (`TXX`), v2.3 (plain frame sizes),
 * v2.4 (syncsafe sizes, and plain ones from writers that get it wrong), unsynchronisation, the
 * extended header, and Latin-1/UTF-16/UTF-8 text. Compressed and encrypted frames are skipped.
 */
export function* scanId3(ctx: ScanContext): Scan {
  const header = ctx.cursor(yield* ctx.read(0, 10, 'ID3 header'), 0);
  header.skip(3, 'ID3');
  const version = header.u8('ID3 version');
  header.u8('ID3 revision');
  const flags = header.u8('ID3 flags');
  const size = syncsafe(ctx, header, 'tag size');
  if (version < 2 || version > 4) throw ctx.malformed(`unsupported ID3v2 version 2.${version}`, 3);
  let tag = yield* ctx.read(10, size, 'ID3 tag');
  if (flags & TAG_UNSYNCHRONISED && version < 4) tag = resynchronise(tag);
  const frames = ctx.cursor(tag, 10);
  if (flags & TAG_EXTENDED_HEADER && version >= 3) {
    const extended = version === 3 ? frames.u32('extended header size', false) : syncsafe(ctx, frames, 'extended header size') - 4;
    frames.skip(extended, 'extended header');
  }
  const idLength = version === 2 ? 3 : 4;
  while (frames.remaining >= idLength * 2) {
    ctx.step(10 + frames.position);
    const id = latin1Text(frames.take(idLength, 'frame ID'));
    if (id.charCodeAt(0) === 0) return; // padding
    const length = version === 2 ? frames.u24be('frame size') : version === 3 ? frames.u32('frame size', false) : frameSize24(frames);
    const frameFlags = version === 2 ? 0 : frames.u16('frame flags', false);
    let body = frames.take(length, `frame ${printable(id)}`);
    if (id !== 'TXXX' && id !== 'TXX') continue;
    if (version === 3 && frameFlags & 0xc0) continue; // compressed or encrypted
    if (version === 4) {
      if (frameFlags & 0x0c) continue; // compressed or encrypted
      if (frameFlags & 0x02 || flags & TAG_UNSYNCHRONISED) body = resynchronise(body);
      if (frameFlags & 0x01) body = body.subarray(4); // data length indicator
    }
    readTxxx(ctx, body);
    if (ctx.fields.complete) return;
  }
}

/** A v2.4 frame size: syncsafe, unless a byte has its top bit set (writers that use plain sizes). */
function frameSize24(cursor: ByteCursor): number {
  const start = cursor.position;
  const raw = cursor.take(4, 'frame size');
  if (raw.some((byte) => byte & 0x80)) {
    cursor.seek(start, 'frame size');
    return cursor.u32('frame size', false);
  }
  return ((raw[0] ?? 0) << 21) | ((raw[1] ?? 0) << 14) | ((raw[2] ?? 0) << 7) | (raw[3] ?? 0);
}

function syncsafe(ctx: ScanContext, cursor: ByteCursor, what: string): number {
  const raw = cursor.take(4, what);
  if (raw.some((byte) => byte & 0x80)) throw ctx.malformed(`${what} is not a syncsafe integer`, cursor.position - 4);
  return ((raw[0] ?? 0) << 21) | ((raw[1] ?? 0) << 14) | ((raw[2] ?? 0) << 7) | (raw[3] ?? 0);
}

/** Undoes unsynchronisation: every `FF 00` becomes `FF`. */
function resynchronise(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    out[length++] = bytes[i] as number;
    if (bytes[i] === 0xff && bytes[i + 1] === 0x00) i++;
  }
  return out.subarray(0, length);
}

/** `TXXX`: `encoding:u8 description NUL value` (NUL is two bytes in the UTF-16 encodings). */
function readTxxx(ctx: ScanContext, body: Uint8Array): void {
  if (body.length < 1) return;
  const encoding = body[0] as number;
  const wide = encoding === 1 || encoding === 2;
  let end = -1;
  for (let i = 1; i + (wide ? 1 : 0) < body.length; i += wide ? 2 : 1) {
    if (body[i] === 0 && (!wide || body[i + 1] === 0)) {
      end = i;
      break;
    }
  }
  if (end < 0) return;
  const description = decodeText(encoding, body.subarray(1, end));
  const value = body.subarray(end + (wide ? 2 : 1));
  ctx.fields.add(description, () => decodeText(encoding, value).replace(/\0+$/, ''));
}

function decodeText(encoding: number, bytes: Uint8Array): string {
  switch (encoding) {
    case 0:
      return latin1Text(bytes);
    case 1: // UTF-16 with BOM (little-endian when it is missing)
      return new TextDecoder(bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-16le').decode(bytes);
    case 2:
      return new TextDecoder('utf-16be').decode(bytes);
    default:
      return new TextDecoder('utf-8').decode(bytes);
  }
}
