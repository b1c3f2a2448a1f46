import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PNG_SIGNATURE, pngChunk } from '../workflow/embedded/pngChunk';
import { embedPngMetadata, fileHandleReader, readEmbeddedWorkflow, readEmbeddedWorkflowFrom, readEmbeddedWorkflowFromFile } from '../workflow/embedded';
import { type BenchConfig, benchConfig } from './config';
import { type Comparison, type RoundCase, compareRounds } from './harness/compare';
import { type BenchResult, atMost } from './harness/report';
import { fixed, mib, times } from './harness/stats';

/** Target: reading by path takes at most this fraction of reading the whole file and parsing it. */
export const EMBEDDED_RATIO_TARGET = 0.1;
/** PIL writes IDAT in 64 KiB chunks. */
const IDAT_CHUNK = 64 * 1024;

const FIXTURES = join(__dirname, '..', 'workflow', '__fixtures__');
const json = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/** One file of the bench, written before timing. */
interface BenchFile {
  readonly label: string;
  readonly path: string;
  readonly size: number;
}

/** A PNG of `size` bytes: IHDR, the metadata (`tEXt` before the image data, or `comf` after it), 64 KiB IDATs. */
async function writePng(path: string, size: number, metadata: Record<string, unknown>, where: 'tEXt' | 'comf'): Promise<void> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4096, 0);
  ihdr.writeUInt32BE(4096, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const text = Object.entries(metadata).map(([key, value]) => pngChunk(where, Buffer.from(`${key}\0${JSON.stringify(value)}`, 'latin1')));
  const head = where === 'tEXt' ? embedPngMetadata(Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IEND', Buffer.alloc(0))]), metadata).subarray(0, -12) : Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]);
  const idat = pngChunk('IDAT', randomBytes(IDAT_CHUNK)); // incompressible stand-in for image data: never decoded
  const handle = await open(path, 'w');
  try {
    let position = 0;
    const write = async (bytes: Uint8Array) => {
      await handle.write(bytes, 0, bytes.length, position);
      position += bytes.length;
    };
    await write(head);
    while (position + idat.length < size) await write(idat);
    if (where === 'comf') for (const part of text) await write(part);
    await write(pngChunk('IEND', Buffer.alloc(0)));
  } finally {
    await handle.close();
  }
}

/** An MP4 as SaveVideo writes it: ftyp, a big mdat (random bytes, written), then moov with the metadata. */
async function writeMp4(path: string, size: number, metadata: Record<string, unknown>): Promise<void> {
  const box = (type: string, ...parts: Uint8Array[]) => {
    const data = Buffer.concat(parts);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(8 + data.length, 0);
    header.write(type, 4, 'latin1');
    return Buffer.concat([header, data]);
  };
  const u32 = (value: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(value); return b; };
  const entries = Object.entries(metadata).map(([key, value]) => [key, JSON.stringify(value)] as const);
  const keys = box('keys', u32(0), u32(entries.length), ...entries.map(([key]) => Buffer.concat([u32(8 + key.length), Buffer.from(`mdta${key}`)])));
  const ilst = box('ilst', ...entries.map(([, value], i) => Buffer.concat([u32(8 + 16 + Buffer.byteLength(value)), u32(i + 1), box('data', u32(1), u32(0), Buffer.from(value))])));
  const moov = box('moov', box('mvhd', Buffer.alloc(100)), box('trak', box('tkhd', Buffer.alloc(84))), box('udta', box('meta', u32(0), box('hdlr', Buffer.alloc(8), Buffer.from('mdta'), Buffer.alloc(13)), keys, ilst)));
  const ftyp = box('ftyp', Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2avc1mp41'));
  const mdatSize = size - ftyp.length - moov.length;
  const block = randomBytes(1024 * 1024);
  const handle = await open(path, 'w');
  try {
    await handle.write(Buffer.concat([ftyp, u32(mdatSize), Buffer.from('mdat')]), 0, ftyp.length + 8, 0);
    let position = ftyp.length + 8;
    const end = ftyp.length + mdatSize;
    while (position < end) {
      const length = Math.min(block.length, end - position);
      await handle.write(block, 0, length, position);
      position += length;
    }
    await handle.write(moov, 0, moov.length, end);
  } finally {
    await handle.close();
  }
}

/** Bytes the seeking reader fetches from `path`, counted through its injectable reader. */
async function bytesRead(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const inner = fileHandleReader(handle, (await handle.stat()).size);
    let total = 0;
    await readEmbeddedWorkflowFrom({ size: inner.size, read: async (position, length) => { const out = await inner.read(position, length); total += out.length; return out; } });
    return total;
  } finally {
    await handle.close();
  }
}

/**
 * Reading the embedded workflow of big files by path (`readEmbeddedWorkflowFromFile`, seeking)
 * against the baseline of reading the whole file and parsing the bytes (`readFile` +
 * `readEmbeddedWorkflow`): a 20 MB PNG as SaveImage writes it (metadata first), the same with the
 * metadata after the image data (APNG `comf`: every IDAT header is visited), and an MP4 with
 * `moov` after a large `mdat`, as SaveVideo writes it. Files are written (not sparse) before timing.
 */
export async function embeddedBench(config: BenchConfig = benchConfig()): Promise<BenchResult> {
  const started = performance.now();
  const rounds = config.quick ? 3 : 21;
  const warmup = config.quick ? 1 : 3;
  const pngSize = config.quick ? 4 * 2 ** 20 : 20 * 2 ** 20;
  const mp4Size = config.quick ? 16 * 2 ** 20 : 256 * 2 ** 20;
  const metadata = { prompt: json('flux__girl_in_field.prompt.json'), workflow: json('flux__girl_in_field.workflow.json') };
  const dir = mkdtempSync(join(tmpdir(), 'comfyrx-bench-embedded-'));
  try {
    const files: BenchFile[] = [
      { label: `PNG ${mib(pngSize)}, tEXt first (SaveImage)`, path: join(dir, 'save-image.png'), size: pngSize },
      { label: `PNG ${mib(pngSize)}, comf after IDAT`, path: join(dir, 'comf.png'), size: pngSize },
      { label: `MP4 ${mib(mp4Size)}, moov at the end`, path: join(dir, 'video.mp4'), size: mp4Size },
    ];
    await writePng(files[0]!.path, pngSize, metadata, 'tEXt');
    await writePng(files[1]!.path, pngSize, metadata, 'comf');
    await writeMp4(files[2]!.path, mp4Size, metadata);
    // One comparison per file (baseline first), so the GC of one file's big buffers does not land on another file's rounds.
    const comparisons: Comparison[] = [];
    for (const file of files) {
      const cases: RoundCase<undefined>[] = [
        { name: `readFile + parse: ${file.label}`, run: async () => (readEmbeddedWorkflow(await readFile(file.path)).workflow?.nodes as unknown[]).length },
        { name: `by path: ${file.label}`, run: async () => ((await readEmbeddedWorkflowFromFile(file.path)).workflow?.nodes as unknown[]).length },
      ];
      comparisons.push(await compareRounds(cases, { warmup, rounds, setup: () => undefined }));
    }
    const medianOf = (index: number) => comparisons[index >> 1]?.cases[index & 1]?.medianMs ?? Number.NaN;
    const read = await Promise.all(files.map((file) => bytesRead(file.path)));
    const ratios = files.map((_, i) => medianOf(2 * i + 1) / medianOf(2 * i));
    return {
      id: 'embedded',
      title: `Reading the embedded workflow: by path (seeking) vs the whole file (${rounds} rounds)`,
      columns: ['file', 'whole file ms', 'by path ms', 'ratio', 'bytes read by path'],
      rows: files.map((file, i) => [file.label, fixed(medianOf(2 * i)), fixed(medianOf(2 * i + 1)), times(ratios[i] as number), `${read[i]} (${fixed((100 * (read[i] as number)) / file.size, 3)}%)`]),
      verdicts: [0, 2].map((i) => atMost(`${files[i]?.label}: by path / whole file`, ratios[i] as number, EMBEDDED_RATIO_TARGET, 'x')),
      notes: [
        'files are in the page cache (written just before); metadata: the flux__girl_in_field pair',
        `comf after IDAT (no target): the worst layout, one page read per 64 KiB IDAT header (${Math.ceil(pngSize / IDAT_CHUNK)} reads) to keep the bytes read small`,
      ],
      checksum: comparisons.reduce((sum, comparison) => sum + comparison.checksum, 0),
      data: Object.fromEntries(files.flatMap((_, i) => [[`wholeMs_${i}`, medianOf(2 * i)], [`byPathMs_${i}`, medianOf(2 * i + 1)], [`ratio_${i}`, ratios[i] as number], [`bytesRead_${i}`, read[i] as number]])),
      elapsedMs: performance.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
