import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ComfyRxError } from '../../errors';
import * as build from './__fixtures__/buildFiles';
import { finishScan, startScan } from './embeddedWorkflow';
import { MAGIC_BYTES } from './limits';
import type { RandomAccessReader } from './randomAccessReader';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';
import { readEmbeddedWorkflowFrom } from './readEmbeddedWorkflowFromFile';

const UNEXPECTED = /unreadable structure/;
const W = JSON.stringify({ nodes: [{ id: 1, type: 'KSampler', widgets_values: [1, 'fixed'] }], links: [] });
const P = JSON.stringify({ '1': { class_type: 'KSampler', inputs: { seed: 1 } } });

const FIXTURES = join(__dirname, '__fixtures__');
const VALID: readonly Buffer[] = [
  ...readdirSync(FIXTURES).filter((name) => /\.(png|webp|mp4|mov|webm|flac|mp3|opus)$/.test(name)).map((name) => readFileSync(join(FIXTURES, name))),
  build.png([build.tEXt('prompt', P), build.iTXt('workflow', W, true)], [build.comf('x', '{}')]),
  build.png([build.zTXt('workflow', W)]),
  build.png([build.pngChunk('tIME', Buffer.alloc(0)), build.tEXt('prompt', P)]),
  build.webp(build.tiff([[0x0110, `prompt:${P}`], [0x010f, `workflow:${W}`]]), { prefix: true }),
  Buffer.concat([build.FTYP, build.largeBox('mdat', Buffer.alloc(64)), build.moov(build.mdtaMeta([['workflow', W], ['prompt', P]]))]),
  Buffer.concat([build.ebmlHeader(), build.segmentUnknownSize(build.seekHead(build.SEEK_HEAD_LENGTH + 40), build.clusterUnknownSize(20), build.tagsElement([['WORKFLOW', W]]))]),
  build.flac([`prompt=${P}`, `workflow=${W}`], { padding: 10 }),
  build.mp3([['prompt', P], ['workflow', W]], { version: 3, encoding: 1 }),
  build.oggOpus([`prompt=${P}`, `workflow=${W}`], { pageSegments: 1 }),
  build.glb({ asset: { version: '2.0', extras: { prompt: P, workflow: W } } }),
  build.safetensors({ prompt: P, workflow: W }),
  build.svg({ prompt: JSON.parse(P), workflow: JSON.parse(W) }),
];
const MAGICS = ['\x89PNG\r\n\x1a\n', 'RIFF\0\0\0\0WEBP', '\0\0\0\x18ftyp', '\x1a\x45\xdf\xa3', 'fLaC', 'ID3\x04\0\0', 'OggS\0', 'glTF\x02\0\0\0', '\x40\0\0\0\0\0\0\0{', '<svg><metadata><![CDATA['].map((magic) => Buffer.from(magic, 'latin1'));

/**
 * The work a scan of `bytes` asks for: the reads it makes (`readEmbeddedWorkflow`'s own loop,
 * counted). A scan that stops advancing (a zero-length chunk, a length that wraps) asks for reads
 * until its step limit: hundreds of thousands, where an honest one over these small files asks a few.
 * Counting stops past `maxReads`, so such a scan fails the check at once.
 */
function scanWork(bytes: Uint8Array, maxReads: number): { readonly reads: number; readonly bytesRead: number } {
  let reads = 0;
  let bytesRead = 0;
  try {
    const { ctx, scan } = startScan(bytes.subarray(0, MAGIC_BYTES), bytes.length);
    try {
      let step = scan.next();
      while (!step.done && reads <= maxReads) {
        reads++;
        bytesRead += step.value.length;
        step = scan.next(bytes.subarray(step.value.position, step.value.position + step.value.length));
      }
    } catch (failure) {
      finishScan(ctx, failure);
    }
  } catch {
    // the outcome is checked by expectTyped; this counts the work only
  }
  return { reads, bytesRead };
}

/** Bounded work: at most one read per 4 bytes of the file (plus a few), each byte asked for at most twice. */
function expectBoundedWork(bytes: Uint8Array): void {
  const maxReads = bytes.length / 4 + 16;
  const { reads, bytesRead } = scanWork(bytes, maxReads);
  expect(reads).toBeLessThanOrEqual(maxReads);
  expect(bytesRead).toBeLessThanOrEqual(2 * bytes.length);
}

/**
 * Ends in bounded work, in a result or a ComfyRxError, and not through the driver's safety net
 * (which wraps an unexpected exception as "unreadable structure": a bounds check a reader missed).
 */
function expectTyped(bytes: Uint8Array): void {
  expectBoundedWork(bytes);
  try {
    readEmbeddedWorkflow(bytes);
  } catch (error) {
    if (!(error instanceof ComfyRxError)) throw error;
    expect(error.message).not.toMatch(UNEXPECTED);
  }
}

const corruption = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('length' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    value: fc.constantFrom(0xffffffff, 0x7fffffff, 0x80000000, 0x01000000, 0, 1),
    littleEndian: fc.boolean(),
  }),
);

function corrupt(file: Buffer, change: typeof corruption extends fc.Arbitrary<infer C> ? C : never): Buffer {
  const out = Buffer.from(file);
  switch (change.kind) {
    case 'truncate':
      return out.subarray(0, Math.floor(change.at * out.length));
    case 'flip':
      for (const [at, bit] of change.at) {
        const index = Math.min(out.length - 1, Math.floor(at * out.length));
        out[index] = (out[index] as number) ^ (1 << bit);
      }
      return out;
    default: {
      const index = Math.min(out.length - 4, Math.floor(change.at * out.length));
      if (change.littleEndian) out.writeUInt32LE(change.value, index);
      else out.writeUInt32BE(change.value, index);
      return out;
    }
  }
}

describe('readEmbeddedWorkflow on hostile bytes', () => {
  it('ends in a result or a typed error for random bytes behind every magic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAGICS.length - 1 }), fc.uint8Array({ maxLength: 600 }), (magic, tail) => {
        expectTyped(Buffer.concat([MAGICS[magic] as Buffer, tail]));
      }),
      { numRuns: 1500 },
    );
  });

  it('ends in a result or a typed error for truncated, bit-flipped and huge-length valid files', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), corruption, (index, change) => {
        expectTyped(corrupt(VALID[index] as Buffer, change));
      }),
      { numRuns: 2000 },
    );
  });

  it('does the same through the seeking reader (random reads answered from memory)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: VALID.length - 1 }), corruption, async (index, change) => {
        const bytes = corrupt(VALID[index] as Buffer, change);
        expectBoundedWork(bytes);
        const reader: RandomAccessReader = { size: bytes.length, read: async (position, length) => bytes.subarray(position, position + length) };
        let viaBytes: unknown;
        let viaReader: unknown;
        try {
          viaBytes = readEmbeddedWorkflow(bytes);
        } catch (error) {
          viaBytes = (error as Error).message;
        }
        try {
          viaReader = await readEmbeddedWorkflowFrom(reader);
        } catch (error) {
          if (!(error instanceof ComfyRxError)) throw error;
          expect(error.message).not.toMatch(UNEXPECTED);
          viaReader = error.message;
        }
        expect(viaReader).toEqual(viaBytes);
      }),
      { numRuns: 500 },
    );
  });

  it('survives JSON nested a million deep (typed error, no stack overflow)', () => {
    for (const text of ['['.repeat(1_000_000), `{"a": ${'['.repeat(200_000)}NaN${']'.repeat(200_000)}}`, '"'.repeat(3) + '\\"'.repeat(100)]) {
      expectTyped(build.png([build.tEXt('workflow', text)]));
    }
  });
});
