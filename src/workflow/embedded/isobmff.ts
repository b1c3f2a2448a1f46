import type { ByteCursor } from './byteCursor';
import { latin1Text, printable, utf8Text } from './byteCursor';
import type { Scan, ScanContext, ScanStep } from './scan';

/** A box: `size:u32be type:4` (size 1: a u64 size follows; size 0: to the end of its parent). */
interface Box {
  readonly type: string;
  readonly start: number;
  readonly dataStart: number;
  readonly end: number;
}

/** `udta` may sit at the top level, in `moov`, or (rarely) in another `udta`; deeper is not metadata. */
const MAX_UDTA_DEPTH = 3;

/**
 * Reads ComfyUI's metadata from an MP4/MOV (ISO-BMFF): `moov › udta › meta` with `hdlr` (mdta),
 * `keys` and `ilst`, as PyAV/libavformat write it with `movflags=use_metadata_tags`; iTunes-style
 * `ilst` items (`©cmt`, `----` with a name) are read too. Boxes are skipped by their size, so a
 * multi-GB `mdat` (before or after `moov`) costs one header read.
 */
export function* scanIsobmff(ctx: ScanContext): Scan {
  let position = 0;
  while (position + 8 <= ctx.size) {
    ctx.step(position);
    const box = yield* readBox(ctx, position, ctx.size);
    if (box.type === 'moov' || box.type === 'udta') {
      yield* scanChildren(ctx, box, 1);
      if (box.type === 'moov' && ctx.fields.found) return;
    } else if (box.type === 'meta') {
      yield* scanMeta(ctx, box);
    }
    if (ctx.fields.complete) return;
    position = box.end;
  }
}

function* readBox(ctx: ScanContext, position: number, parentEnd: number): ScanStep<Box> {
  if (parentEnd - position < 8) throw ctx.malformed('box header runs past its parent', position);
  const header = ctx.cursor(yield* ctx.read(position, Math.min(16, parentEnd - position), 'box header'), position);
  let size = header.u32('box size', false);
  const type = header.fourCC('box type');
  if (size === 1) size = header.u64be(`'${printable(type)}' 64-bit size`);
  else if (size === 0) size = parentEnd - position;
  const dataStart = position + header.position;
  if (size < header.position) throw ctx.malformed(`box '${printable(type)}' has an impossible size ${size}`, position);
  if (position + size > parentEnd) throw ctx.malformed(`box '${printable(type)}' runs past ${parentEnd === ctx.size ? 'the end of the file (truncated?)' : 'its parent'}`, position);
  return { type, start: position, dataStart, end: position + size };
}

function* scanChildren(ctx: ScanContext, parent: Box, depth: number): Scan {
  let position = parent.dataStart;
  while (position + 8 <= parent.end) {
    ctx.step(position);
    const box = yield* readBox(ctx, position, parent.end);
    if (box.type === 'udta' && depth < MAX_UDTA_DEPTH) yield* scanChildren(ctx, box, depth + 1);
    else if (box.type === 'meta') yield* scanMeta(ctx, box);
    if (ctx.fields.complete) return;
    position = box.end;
  }
}

/** An in-memory child box. */
interface MemoryBox {
  readonly type: string;
  readonly data: Uint8Array;
  readonly offset: number;
}

function* scanMeta(ctx: ScanContext, meta: Box): Scan {
  const data = yield* ctx.read(meta.dataStart, meta.end - meta.dataStart, "'meta' box");
  // ISO `meta` is a full box (4 bytes version/flags); QuickTime's is not: its first child follows at once.
  const isQuickTime = latin1Text(data.subarray(4, 8)) === 'hdlr';
  const children = memoryBoxes(ctx, data.subarray(isQuickTime ? 0 : 4), meta.dataStart + (isQuickTime ? 0 : 4));
  const keys = children.filter((box) => box.type === 'keys').flatMap((box) => readKeys(ctx, box));
  for (const list of children.filter((box) => box.type === 'ilst')) {
    for (const item of memoryBoxes(ctx, list.data, list.offset)) {
      const parts = memoryBoxes(ctx, item.data, item.offset);
      const name = itemName(ctx, item, parts, keys);
      const value = parts.find((part) => part.type === 'data');
      if (name === undefined || value === undefined) continue;
      ctx.fields.add(name, () => {
        const cursor = ctx.cursor(value.data, value.offset);
        cursor.skip(8, "'data' type and locale");
        return utf8Text(cursor.rest());
      });
    }
  }
}

/** `keys`: full box, `entry_count:u32`, then per key `size:u32 namespace:4 name`. Index 0 is key 1. */
function readKeys(ctx: ScanContext, box: MemoryBox): string[] {
  const cursor = ctx.cursor(box.data, box.offset);
  cursor.skip(4, "'keys' version and flags");
  const count = cursor.u32("'keys' entry count", false);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const size = cursor.u32('key size', false);
    if (size < 8) throw ctx.malformed(`key ${i + 1} has an impossible size ${size}`, box.offset + cursor.position);
    cursor.skip(4, 'key namespace');
    names.push(utf8Text(cursor.take(size - 8, 'key name')));
  }
  return names;
}

/** An `ilst` item's key: `keys[index - 1]` for mdta items, the `name` of a `----` item, `comment` for `©cmt`. */
function itemName(ctx: ScanContext, item: MemoryBox, parts: readonly MemoryBox[], keys: readonly string[]): string | undefined {
  if (item.type === '----') {
    const name = parts.find((part) => part.type === 'name');
    if (!name) return undefined;
    const cursor = ctx.cursor(name.data, name.offset);
    cursor.skip(4, "'name' version and flags");
    return utf8Text(cursor.rest());
  }
  if (item.type === '\xa9cmt') return 'comment';
  const index = latin1Index(item.type);
  return index >= 1 && index <= keys.length ? keys[index - 1] : item.type;
}

/** The u32 that a 4-byte (Latin-1) box type stands for: ilst items of mdta keys are 1-based key indexes. */
function latin1Index(type: string): number {
  return ((type.charCodeAt(0) << 24) | (type.charCodeAt(1) << 16) | (type.charCodeAt(2) << 8) | type.charCodeAt(3)) >>> 0;
}

/** The child boxes of an in-memory payload. */
function memoryBoxes(ctx: ScanContext, bytes: Uint8Array, base: number): MemoryBox[] {
  const cursor: ByteCursor = ctx.cursor(bytes, base);
  const boxes: MemoryBox[] = [];
  while (cursor.remaining >= 8) {
    const start = cursor.position;
    ctx.step(base + start);
    let size = cursor.u32('box size', false);
    const type = cursor.fourCC('box type');
    if (size === 1) size = cursor.u64be('64-bit box size');
    else if (size === 0) size = bytes.length - start;
    const headerSize = cursor.position - start;
    if (size < headerSize) throw ctx.malformed(`box '${printable(type)}' has an impossible size ${size}`, base + start);
    boxes.push({ type, data: cursor.take(size - headerSize, `box '${printable(type)}'`), offset: base + start + headerSize });
  }
  return boxes;
}
