import { latin1Text, printable, utf8Text } from './byteCursor';
import { inflateText } from './inflateText';
import { MAX_FIELD_BYTES } from './limits';
import { PNG_SIGNATURE } from './pngChunk';
import type { Scan, ScanContext } from './scan';

/** Text chunk types: the three of the PNG spec, and `comf` of SaveAnimatedPNG (after the image data). */
const TEXT_CHUNKS = new Set(['tEXt', 'iTXt', 'zTXt', 'comf']);
/** A keyword is 1-79 bytes; its NUL comes within the first 80 bytes of a text chunk. */
const KEYWORD_PEEK = 80;
/** PNG lengths are at most 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/**
 * Reads a PNG's text chunks: `length:u32be type data crc` after the signature, walking chunk
 * headers only (IDAT skipped by its length) until `IEND`, or until both keys are found.
 * CRCs are not checked (ComfyUI's frontend does not either).
 */
export function* scanPng(ctx: ScanContext): Scan {
  let position = PNG_SIGNATURE.length;
  while (position < ctx.size) {
    ctx.step(position);
    const header = ctx.cursor(yield* ctx.read(position, 8, 'chunk header'), position);
    const length = header.u32('chunk length', false);
    const type = header.fourCC('chunk type');
    if (length > MAX_CHUNK_LENGTH) throw ctx.malformed(`chunk '${printable(type)}' has an impossible length ${length}`, position);
    const dataStart = position + 8;
    if (dataStart + length + 4 > ctx.size) throw ctx.malformed(`chunk '${printable(type)}' runs past the end of the file (truncated?)`, position);
    if (type === 'IEND') return;
    if (TEXT_CHUNKS.has(type)) {
      yield* readTextChunk(ctx, type, dataStart, length);
      if (ctx.fields.complete) return;
    }
    position = dataStart + length + 4;
  }
}

function* readTextChunk(ctx: ScanContext, type: string, start: number, length: number): Scan {
  const peek = yield* ctx.read(start, Math.min(length, KEYWORD_PEEK), `'${type}' keyword`);
  const nul = peek.indexOf(0);
  if (nul < 1) throw ctx.malformed(`'${type}' chunk has no keyword`, start);
  const keyword = latin1Text(peek.subarray(0, nul));
  if (!ctx.fields.wants(keyword)) return ctx.fields.add(keyword, () => '');
  if (length > MAX_FIELD_BYTES) throw ctx.malformed(`'${keyword}' is larger than the ${MAX_FIELD_BYTES / 2 ** 20} MiB limit`, start);
  const cursor = ctx.cursor(yield* ctx.read(start, length, `'${type}' chunk`), start);
  cursor.skip(nul + 1, 'keyword');
  let text: string;
  switch (type) {
    case 'tEXt':
      text = latin1Text(cursor.rest());
      break;
    case 'comf':
      text = utf8Text(cursor.rest());
      break;
    case 'zTXt':
      cursor.u8('compression method');
      text = latin1Text(inflateText(ctx, cursor.rest(), start));
      break;
    default: {
      // iTXt: compressionFlag, compressionMethod, languageTag NUL, translatedKeyword NUL, UTF-8 text
      const compressed = cursor.u8('compression flag') === 1;
      cursor.u8('compression method');
      cursor.untilNul('language tag');
      cursor.untilNul('translated keyword');
      const body = cursor.rest();
      text = utf8Text(compressed ? inflateText(ctx, body, start) : body);
    }
  }
  ctx.fields.add(keyword, () => text);
}
