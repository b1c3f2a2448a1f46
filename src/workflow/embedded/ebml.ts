import type { ByteCursor } from './byteCursor';
import { utf8Text } from './byteCursor';
import { MAX_NESTING } from './limits';
import type { Scan, ScanContext, ScanStep } from './scan';

/** Matroska element IDs (with their VINT marker bits, as the spec writes them). */
const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  SeekPosition: 0x53ac,
  Tags: 0x1254c367,
  Tag: 0x7373,
  SimpleTag: 0x67c8,
  TagName: 0x45a3,
  TagString: 0x4487,
  Cluster: 0x1f43b675,
} as const;

/** An element header read from the file; `end` is `undefined` for an unknown size (live streams). */
interface Element {
  readonly id: number;
  readonly start: number;
  readonly dataStart: number;
  readonly end: number | undefined;
}

/** An element header is at most a 4-byte ID and an 8-byte size. */
const MAX_HEADER_BYTES = 12;

/**
 * Reads ComfyUI's metadata from a WebM/MKV: `Segment › Tags › Tag › SimpleTag` with `TagName`
 * (`PROMPT`, `WORKFLOW`: libavformat upper-cases them) and `TagString`. Top-level elements are
 * skipped by size (Clusters too); `Tags` after the Clusters are reached through the SeekHead,
 * which is what makes live-written files (Clusters of unknown size) readable.
 */
export function* scanEbml(ctx: ScanContext): Scan {
  const header = yield* readElement(ctx, 0, ctx.size);
  if (header.id !== ID.EBML || header.end === undefined) throw ctx.malformed('EBML header missing or of unknown size', 0);
  let position = header.end;
  let segment: Element | undefined;
  while (position < ctx.size && segment === undefined) {
    ctx.step(position);
    const element = yield* readElement(ctx, position, ctx.size);
    if (element.id === ID.Segment) segment = element;
    else if (element.end === undefined) throw ctx.malformed('top-level element of unknown size before the Segment', position);
    else position = element.end;
  }
  if (segment === undefined) return;
  const segmentEnd = segment.end ?? ctx.size;
  const seekTargets: number[] = [];
  const visited = new Set<number>();
  position = segment.dataStart;
  while (position < segmentEnd) {
    ctx.step(position);
    const element = yield* readElement(ctx, position, segmentEnd);
    if (element.id === ID.Cluster) {
      yield* visitTargets(ctx, seekTargets, visited, segmentEnd);
      if (ctx.fields.complete) return;
    } else if (element.id === ID.SeekHead && element.end !== undefined) {
      const data = yield* ctx.read(element.dataStart, element.end - element.dataStart, 'SeekHead');
      seekTargets.push(...tagsPositions(ctx, data, element.dataStart, segment.dataStart));
    } else if (element.id === ID.Tags && element.end !== undefined) {
      visited.add(position);
      readTags(ctx, yield* ctx.read(element.dataStart, element.end - element.dataStart, 'Tags'), element.dataStart);
      if (ctx.fields.complete) return;
    }
    if (element.end === undefined) break; // cannot skip an element of unknown size: the SeekHead is all that is left
    position = element.end;
  }
  yield* visitTargets(ctx, seekTargets, visited, segmentEnd);
}

function* visitTargets(ctx: ScanContext, targets: readonly number[], visited: Set<number>, segmentEnd: number): Scan {
  for (const target of targets) {
    if (visited.has(target) || target >= segmentEnd) continue;
    visited.add(target);
    const element = yield* readElement(ctx, target, segmentEnd);
    if (element.id !== ID.Tags || element.end === undefined) continue;
    readTags(ctx, yield* ctx.read(element.dataStart, element.end - element.dataStart, 'Tags'), element.dataStart);
    if (ctx.fields.complete) return;
  }
}

function* readElement(ctx: ScanContext, position: number, parentEnd: number): ScanStep<Element> {
  const available = Math.min(MAX_HEADER_BYTES, parentEnd - position);
  if (available < 2) throw ctx.malformed('element header runs past its parent', position);
  const cursor = ctx.cursor(yield* ctx.read(position, available, 'element header'), position);
  const id = readId(ctx, cursor);
  const size = readSize(ctx, cursor);
  const dataStart = position + cursor.position;
  if (size !== undefined && dataStart + size > parentEnd) {
    throw ctx.malformed(`element 0x${id.toString(16)} runs past ${parentEnd === ctx.size ? 'the end of the file (truncated?)' : 'its parent'}`, position);
  }
  return { id, start: position, dataStart, end: size === undefined ? undefined : dataStart + size };
}

/** The VINT length from its first byte: the count of leading zero bits, plus one. */
function vintLength(ctx: ScanContext, cursor: ByteCursor, first: number, max: number, what: string): number {
  const length = Math.clz32(first) - 23;
  if (first === 0 || length > max) throw ctx.malformed(`${what} is not a valid EBML VINT`, cursor.position);
  return length;
}

/** An element ID keeps its marker bits (1-4 bytes). */
function readId(ctx: ScanContext, cursor: ByteCursor): number {
  const first = cursor.u8('element ID');
  const length = vintLength(ctx, cursor, first, 4, 'element ID');
  let id = first;
  for (let i = 1; i < length; i++) id = id * 256 + cursor.u8('element ID');
  return id;
}

/** A size drops its marker bits (1-8 bytes); all value bits set means "unknown". */
function readSize(ctx: ScanContext, cursor: ByteCursor): number | undefined {
  const first = cursor.u8('element size');
  const length = vintLength(ctx, cursor, first, 8, 'element size');
  let size = first & (0xff >> length);
  let allOnes = size === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = cursor.u8('element size');
    allOnes &&= byte === 0xff;
    size = size * 256 + byte;
  }
  if (allOnes) return undefined;
  if (!Number.isSafeInteger(size)) throw ctx.malformed('element size is impossibly large', cursor.position);
  return size;
}

/** An in-memory child element (sizes must be known inside metadata). */
interface MemoryElement {
  readonly id: number;
  readonly data: Uint8Array;
  readonly offset: number;
}

function memoryElements(ctx: ScanContext, bytes: Uint8Array, base: number): MemoryElement[] {
  const cursor = ctx.cursor(bytes, base);
  const elements: MemoryElement[] = [];
  while (cursor.remaining > 0) {
    ctx.step(base + cursor.position);
    const id = readId(ctx, cursor);
    const size = readSize(ctx, cursor);
    if (size === undefined) throw ctx.malformed('element of unknown size inside metadata', base + cursor.position);
    const offset = base + cursor.position;
    elements.push({ id, data: cursor.take(size, `element 0x${id.toString(16)}`), offset });
  }
  return elements;
}

/** Unsigned big-endian integer of 0-8 bytes (SeekID, SeekPosition). */
function uintOf(ctx: ScanContext, element: MemoryElement): number {
  if (element.data.length > 8) throw ctx.malformed('integer element too long', element.offset);
  let value = 0;
  for (const byte of element.data) value = value * 256 + byte;
  if (!Number.isSafeInteger(value)) throw ctx.malformed('integer element is impossibly large', element.offset);
  return value;
}

/** File positions of the `Tags` elements a SeekHead lists (positions are relative to the Segment's data). */
function tagsPositions(ctx: ScanContext, data: Uint8Array, base: number, segmentData: number): number[] {
  const positions: number[] = [];
  for (const seek of memoryElements(ctx, data, base)) {
    if (seek.id !== ID.Seek) continue;
    const parts = memoryElements(ctx, seek.data, seek.offset);
    const seekId = parts.find((part) => part.id === ID.SeekID);
    const seekPosition = parts.find((part) => part.id === ID.SeekPosition);
    if (seekId && seekPosition && uintOf(ctx, seekId) === ID.Tags) positions.push(segmentData + uintOf(ctx, seekPosition));
  }
  return positions;
}

function readTags(ctx: ScanContext, data: Uint8Array, base: number): void {
  for (const tag of memoryElements(ctx, data, base)) {
    if (tag.id !== ID.Tag) continue;
    for (const simple of memoryElements(ctx, tag.data, tag.offset)) {
      if (simple.id === ID.SimpleTag) readSimpleTag(ctx, simple, 0);
    }
  }
}

/** `SimpleTag`: `TagName`, `TagString`, and nested SimpleTags (depth-bounded). */
function readSimpleTag(ctx: ScanContext, simple: MemoryElement, depth: number): void {
  if (depth > MAX_NESTING) throw ctx.malformed('SimpleTags nested too deep', simple.offset);
  const parts = memoryElements(ctx, simple.data, simple.offset);
  const name = parts.find((part) => part.id === ID.TagName);
  const value = parts.find((part) => part.id === ID.TagString);
  if (name && value) ctx.fields.add(utf8Text(name.data), () => utf8Text(value.data).replace(/\0+$/, ''));
  for (const part of parts) if (part.id === ID.SimpleTag) readSimpleTag(ctx, part, depth + 1);
}
