/**
 * Builders of minimal valid files, byte by byte from the container specs (PNG, RIFF/WebP + TIFF,
 * ISO-BMFF, EBML/Matroska, FLAC, ID3v2, Ogg), for the reader tests. Test-only.
 */
import { crc32, deflateSync } from 'node:zlib';

const ascii = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const u8 = (value: number) => Buffer.of(value);
const u16be = (value: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(value); return b; };
const u16le = (value: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(value); return b; };
const u24be = (value: number) => Buffer.of((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
const u32be = (value: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(value >>> 0); return b; };
const u32le = (value: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(value >>> 0); return b; };
const u64be = (value: number) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(value)); return b; };
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);

// ---- PNG ---------------------------------------------------------------------------------------

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = cat(ascii(type), data);
  return cat(u32be(data.length), body, u32be(crc32(body)));
}

/** IHDR of a 1x1 8-bit RGB picture, and its one IDAT (filter byte 0 + one red pixel). */
export const PNG_IHDR = pngChunk('IHDR', cat(u32be(1), u32be(1), Buffer.of(8, 2, 0, 0, 0)));
export const PNG_IDAT = pngChunk('IDAT', deflateSync(Buffer.of(0, 255, 0, 0)));
export const PNG_IEND = pngChunk('IEND', Buffer.alloc(0));

export const tEXt = (key: string, text: string) => pngChunk('tEXt', cat(ascii(key), u8(0), ascii(text)));
export const zTXt = (key: string, text: string) => pngChunk('zTXt', cat(ascii(key), u8(0), u8(0), deflateSync(ascii(text))));
export const iTXt = (key: string, text: string, compressed: boolean) =>
  pngChunk('iTXt', cat(ascii(key), u8(0), u8(compressed ? 1 : 0), u8(0), ascii('en'), u8(0), utf8('Translated'), u8(0), compressed ? deflateSync(utf8(text)) : utf8(text)));
export const comf = (key: string, text: string) => pngChunk('comf', cat(ascii(key), u8(0), ascii(text)));

/** A 1x1 PNG with `before` chunks between IHDR and IDAT and `after` chunks after IDAT. */
export function png(before: Uint8Array[], after: Uint8Array[] = []): Buffer {
  return cat(PNG_SIGNATURE, PNG_IHDR, ...before, PNG_IDAT, ...after, PNG_IEND);
}

// ---- WebP (RIFF) and EXIF (TIFF) ----------------------------------------------------------------

export function riffChunk(fourCC: string, data: Uint8Array): Buffer {
  return cat(ascii(fourCC), u32le(data.length), data, data.length & 1 ? u8(0) : Buffer.alloc(0));
}

/** A TIFF block with IFD0 ASCII entries (tags ascending), values after the IFD. */
export function tiff(entries: readonly (readonly [tag: number, text: string])[], endian: 'MM' | 'II' = 'MM'): Buffer {
  const le = endian === 'II';
  const w16 = le ? u16le : u16be;
  const w32 = le ? u32le : u32be;
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const ifdSize = 2 + sorted.length * 12 + 4;
  let dataOffset = 8 + ifdSize;
  const ifd: Buffer[] = [w16(sorted.length)];
  const data: Buffer[] = [];
  for (const [tag, text] of sorted) {
    const value = cat(ascii(text), u8(0));
    ifd.push(w16(tag), w16(2), w32(value.length));
    if (value.length <= 4) ifd.push(cat(value, Buffer.alloc(4 - value.length)));
    else {
      ifd.push(w32(dataOffset));
      data.push(value);
      dataOffset += value.length;
    }
  }
  ifd.push(w32(0));
  return cat(ascii(endian), w16(42), w32(8), ...ifd, ...data);
}

/** A lossless 1x1 WebP bitstream (VP8L header only: enough for a container reader). */
const VP8L = Buffer.of(0x2f, 0x00, 0x00, 0x00, 0x00, 0x88, 0x88, 0x08, 0x00);

/** An extended WebP: VP8X (EXIF flag), VP8L image, EXIF chunk (optionally with the `Exif\0\0` prefix). */
export function webp(exif: Uint8Array, { prefix = false, extra = [] as Uint8Array[] } = {}): Buffer {
  const vp8x = cat(u8(0x08), Buffer.alloc(9)); // flags (EXIF), reserved, canvas 1x1 (minus one, u24le)
  const body = cat(ascii('WEBP'), riffChunk('VP8X', vp8x), riffChunk('VP8L', VP8L), ...extra, riffChunk('EXIF', prefix ? cat(ascii('Exif'), Buffer.alloc(2), exif) : exif));
  return cat(ascii('RIFF'), u32le(body.length), body);
}

// ---- ISO-BMFF (MP4/MOV) -------------------------------------------------------------------------

export function box(type: string, ...payload: Uint8Array[]): Buffer {
  const data = cat(...payload);
  return cat(u32be(8 + data.length), ascii(type), data);
}

/** A box with a 64-bit size (`size = 1`, then u64). */
export function largeBox(type: string, ...payload: Uint8Array[]): Buffer {
  const data = cat(...payload);
  return cat(u32be(1), ascii(type), u64be(16 + data.length), data);
}

/** `moov › udta › meta` with mdta `keys` and `ilst`, as libavformat writes with `use_metadata_tags`. */
export function mdtaMeta(entries: readonly (readonly [key: string, value: string])[]): Buffer {
  const hdlr = box('hdlr', Buffer.alloc(4), Buffer.alloc(4), ascii('mdta'), Buffer.alloc(12), u8(0));
  const keys = box('keys', Buffer.alloc(4), u32be(entries.length), ...entries.map(([key]) => cat(u32be(8 + utf8(key).length), ascii('mdta'), utf8(key))));
  const items = entries.map(([, value], i) => cat(u32be(8 + 16 + utf8(value).length), u32be(i + 1), box('data', u32be(1), u32be(0), utf8(value))));
  return box('meta', Buffer.alloc(4), hdlr, keys, box('ilst', ...items));
}

export const FTYP = box('ftyp', ascii('isom'), u32be(0x200), ascii('isomiso2avc1mp41'));
/** A `moov` with an `mvhd` stand-in, a `trak` and the metadata. */
export const moov = (meta: Uint8Array) => box('moov', box('mvhd', Buffer.alloc(100)), box('trak', box('tkhd', Buffer.alloc(84))), box('udta', meta));

// ---- EBML (WebM/MKV) -----------------------------------------------------------------------------

/** An element ID as written (marker bits included). */
const idBytes = (id: number) => { const hex = id.toString(16); return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'); };
/** A size VINT of 8 bytes (always valid). */
const size8 = (size: number) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(size)); b[0] = 0x01; return b; };
export const UNKNOWN_SIZE = Buffer.from('01ffffffffffffff', 'hex');

export function element(id: number, ...payload: Uint8Array[]): Buffer {
  const data = cat(...payload);
  return cat(idBytes(id), size8(data.length), data);
}
export const EBML_ID = { EBML: 0x1a45dfa3, DocType: 0x4282, Segment: 0x18538067, SeekHead: 0x114d9b74, Seek: 0x4dbb, SeekID: 0x53ab, SeekPosition: 0x53ac, Info: 0x1549a966, Tags: 0x1254c367, Tag: 0x7373, Targets: 0x63c0, SimpleTag: 0x67c8, TagName: 0x45a3, TagString: 0x4487, Cluster: 0x1f43b675, Timecode: 0xe7, SimpleBlock: 0xa3 } as const;

export const ebmlHeader = (docType = 'webm') => element(EBML_ID.EBML, element(EBML_ID.DocType, ascii(docType)));
export function tagsElement(entries: readonly (readonly [name: string, value: string])[]): Buffer {
  const simple = entries.map(([name, value]) => element(EBML_ID.SimpleTag, element(EBML_ID.TagName, utf8(name)), element(EBML_ID.TagString, utf8(value))));
  return element(EBML_ID.Tags, element(EBML_ID.Tag, element(EBML_ID.Targets), ...simple));
}
export const cluster = (bytes: number) => element(EBML_ID.Cluster, element(EBML_ID.Timecode, u8(0)), element(EBML_ID.SimpleBlock, Buffer.alloc(bytes, 0x55)));
export const seekHead = (tagsOffset: number) =>
  element(EBML_ID.SeekHead, element(EBML_ID.Seek, element(EBML_ID.SeekID, idBytes(EBML_ID.Tags)), element(EBML_ID.SeekPosition, u64be(tagsOffset))));
/** Size in bytes of a SeekHead element (fixed by the 8-byte sizes). */
export const SEEK_HEAD_LENGTH = seekHead(0).length;
export const segment = (...children: Uint8Array[]) => element(EBML_ID.Segment, ...children);
export const segmentUnknownSize = (...children: Uint8Array[]) => cat(idBytes(EBML_ID.Segment), UNKNOWN_SIZE, ...children);
export const clusterUnknownSize = (bytes: number) => cat(idBytes(EBML_ID.Cluster), UNKNOWN_SIZE, element(EBML_ID.Timecode, u8(0)), element(EBML_ID.SimpleBlock, Buffer.alloc(bytes, 0x55)));

// ---- Vorbis comments, FLAC, Ogg -----------------------------------------------------------------

export function vorbisComment(entries: readonly string[], vendor = 'Lavf59.27.100'): Buffer {
  return cat(u32le(utf8(vendor).length), utf8(vendor), u32le(entries.length), ...entries.map((entry) => cat(u32le(utf8(entry).length), utf8(entry))));
}

/** `fLaC`, STREAMINFO, optional PADDING, VORBIS_COMMENT (last). */
export function flac(comments: readonly string[], { padding = 0 } = {}): Buffer {
  const streamInfo = Buffer.alloc(34);
  streamInfo.writeUInt16BE(4096, 0);
  streamInfo.writeUInt16BE(4096, 2);
  const block = (type: number, last: boolean, body: Uint8Array) => cat(u8((last ? 0x80 : 0) | type), u24be(body.length), body);
  return cat(ascii('fLaC'), block(0, false, streamInfo), ...(padding ? [block(1, false, Buffer.alloc(padding))] : []), block(4, true, vorbisComment(comments)), Buffer.of(0xff, 0xf8, 0x69, 0x08));
}

/** One Ogg page (CRC left zero: readers do not check it) holding `segments` lacing values over `body`. */
function oggPage(serial: number, sequence: number, headerType: number, lacing: readonly number[], body: Uint8Array): Buffer {
  return cat(ascii('OggS'), u8(0), u8(headerType), Buffer.alloc(8), u32le(serial), u32le(sequence), u32le(0), u8(lacing.length), Buffer.from(lacing), body);
}

/** Lacing values of a packet: 255s then the remainder (a final 0 when the size is a multiple of 255). */
const lacingOf = (length: number) => [...Array<number>(Math.floor(length / 255)).fill(255), length % 255];

/**
 * An Ogg Opus file: OpusHead page, the OpusTags packet split over pages of at most `pageSegments`
 * lacing values (so a long one spans pages), and one audio page.
 */
export function oggOpus(comments: readonly string[], { pageSegments = 255, serial = 0x1234 } = {}): Buffer {
  const head = cat(ascii('OpusHead'), u8(1), u8(1), u16le(312), u32le(48000), u16le(0), u8(0));
  const tags = cat(ascii('OpusTags'), vorbisComment(comments));
  const pages = [oggPage(serial, 0, 0x02, lacingOf(head.length), head)];
  const lacing = lacingOf(tags.length);
  let offset = 0;
  for (let start = 0, sequence = 1; start < lacing.length; start += pageSegments, sequence++) {
    const part = lacing.slice(start, start + pageSegments);
    const bytes = part.reduce((sum, value) => sum + value, 0);
    pages.push(oggPage(serial, sequence, start === 0 ? 0 : 0x01, part, tags.subarray(offset, offset + bytes)));
    offset += bytes;
  }
  pages.push(oggPage(serial, pages.length, 0x04, [3], Buffer.of(0xfc, 0xff, 0xfe)));
  return cat(...pages);
}

// ---- ID3v2 (MP3) ---------------------------------------------------------------------------------

const syncsafe = (value: number) => Buffer.of((value >> 21) & 0x7f, (value >> 14) & 0x7f, (value >> 7) & 0x7f, value & 0x7f);

/** `TXXX` body: encoding 3 (UTF-8) or 1 (UTF-16 with BOM), description, NUL, value. */
export function txxxBody(description: string, value: string, encoding: 1 | 3 = 3): Buffer {
  if (encoding === 1) {
    const utf16 = (text: string) => cat(Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le'));
    return cat(u8(1), utf16(description), Buffer.alloc(2), utf16(value));
  }
  return cat(u8(3), utf8(description), u8(0), utf8(value));
}

/** An ID3v2.3 or v2.4 tag of TXXX frames (plus padding), then one MPEG audio frame header. */
export function mp3(frames: readonly (readonly [description: string, value: string])[], { version = 4, encoding = 3 as 1 | 3, padding = 16 } = {}): Buffer {
  const body = cat(
    ...frames.map(([description, value]) => {
      const data = txxxBody(description, value, encoding);
      return cat(ascii('TXXX'), version === 4 ? syncsafe(data.length) : u32be(data.length), Buffer.alloc(2), data);
    }),
    Buffer.alloc(padding),
  );
  return cat(ascii('ID3'), u8(version), u8(0), u8(0), syncsafe(body.length), body, Buffer.of(0xff, 0xfb, 0x90, 0x64), Buffer.alloc(413));
}

// ---- GLB, safetensors (.latent), SVG -------------------------------------------------------------

/** A binary glTF with a JSON chunk (padded with spaces to 4 bytes) and an empty BIN chunk. */
export function glb(json: unknown): Buffer {
  let text = utf8(JSON.stringify(json));
  if (text.length % 4) text = cat(text, Buffer.alloc(4 - (text.length % 4), 0x20));
  const bin = cat(u32le(4), ascii('BIN\0'), Buffer.alloc(4));
  const body = cat(u32le(text.length), ascii('JSON'), text, bin);
  return cat(ascii('glTF'), u32le(2), u32le(12 + body.length), body);
}

/** A safetensors file: `u64le headerLength`, JSON header (`__metadata__` and one tensor), tensor bytes. */
export function safetensors(metadata: Record<string, string>): Buffer {
  const header = utf8(JSON.stringify({ __metadata__: metadata, latent_tensor: { dtype: 'F32', shape: [1, 4, 1, 1], data_offsets: [0, 16] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return cat(length, header, Buffer.alloc(16));
}

/** An SVG as SaveSVGNode writes it: `<metadata><![CDATA[ json ]]></metadata>` after the opening tag. */
export function svg(metadata: unknown, { paths = 0 } = {}): Buffer {
  const shapes = '<path d="M0 0L10 10"/>'.repeat(paths);
  return utf8(`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><metadata><![CDATA[\n${JSON.stringify(metadata, null, 2)}\n]]></metadata>${shapes}</svg>`);
}
