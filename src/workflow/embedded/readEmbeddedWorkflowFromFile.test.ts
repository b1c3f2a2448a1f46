import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfyMalformedFileError, ComfyNoWorkflowError } from '../../errors';
import * as build from './__fixtures__/buildFiles';
import { READ_AHEAD_BYTES, READ_WINDOW_BYTES } from './limits';
import { fileHandleReader, type RandomAccessReader } from './randomAccessReader';
import { readEmbeddedWorkflow } from './readEmbeddedWorkflow';
import { readEmbeddedWorkflowFrom, readEmbeddedWorkflowFromFile } from './readEmbeddedWorkflowFromFile';

const WORKFLOW = { last_node_id: 1, nodes: [{ id: 1, type: 'SaveVideo' }], links: [] };
const PROMPT = { '1': { class_type: 'SaveVideo', inputs: { filename_prefix: 'video/ComfyUI' } } };
const GiB = 2 ** 30;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'comfyrx-embedded-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `head`, a hole of `holeBytes` (ftruncate: sparse, no disk used), then `tail`. */
async function sparseFile(name: string, head: Uint8Array, holeBytes: number, tail: Uint8Array): Promise<string> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  try {
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(head.length + holeBytes);
    await handle.write(tail, 0, tail.length, head.length + holeBytes);
  } finally {
    await handle.close();
  }
  return path;
}

/** Reads `path` through a reader that counts the bytes and calls. */
async function readCounting(path: string): Promise<{ result: unknown; bytes: number; calls: number }> {
  const handle = await open(path, 'r');
  try {
    const inner = fileHandleReader(handle, (await handle.stat()).size);
    let bytes = 0;
    let calls = 0;
    const counting: RandomAccessReader = {
      size: inner.size,
      async read(position, length) {
        calls++;
        const out = await inner.read(position, length);
        bytes += out.length;
        return out;
      },
    };
    return { result: await readEmbeddedWorkflowFrom(counting), bytes, calls };
  } finally {
    await handle.close();
  }
}

describe('readEmbeddedWorkflowFromFile', () => {
  it('reads the moov at the end of a 3 GiB MP4 (64-bit mdat) in a few small reads', async () => {
    const mdatSize = 3 * GiB;
    const mdatHeader = Buffer.alloc(16);
    mdatHeader.writeUInt32BE(1, 0);
    mdatHeader.write('mdat', 4, 'latin1');
    mdatHeader.writeBigUInt64BE(BigInt(16 + mdatSize), 8);
    const moov = build.moov(build.mdtaMeta([['workflow', JSON.stringify(WORKFLOW)], ['prompt', JSON.stringify(PROMPT)]]));
    const path = await sparseFile('big.mp4', Buffer.concat([build.FTYP, mdatHeader]), mdatSize, moov);
    expect((await stat(path)).size).toBeGreaterThan(3 * GiB);

    const { result, bytes, calls } = await readCounting(path);
    expect(result).toEqual({ container: 'mp4', workflow: WORKFLOW, prompt: PROMPT });
    expect(bytes).toBeLessThanOrEqual(READ_WINDOW_BYTES + READ_AHEAD_BYTES);
    expect(calls).toBeLessThanOrEqual(3);
    expect(await readEmbeddedWorkflowFromFile(path)).toEqual(result);
  });

  it('skips a 2 GiB IDAT to reach comf chunks after the image data', async () => {
    const idatLength = 2 * GiB - 1;
    const header = Buffer.alloc(8);
    header.writeUInt32BE(idatLength, 0);
    header.write('IDAT', 4, 'latin1');
    const tail = Buffer.concat([Buffer.alloc(4), build.comf('workflow', JSON.stringify(WORKFLOW)), build.PNG_IEND]); // IDAT's CRC, then the text
    const path = await sparseFile('big.png', Buffer.concat([build.PNG_SIGNATURE, build.PNG_IHDR, header]), idatLength, tail);
    const { result, bytes } = await readCounting(path);
    expect(result).toEqual({ container: 'png', workflow: WORKFLOW });
    expect(bytes).toBeLessThanOrEqual(READ_WINDOW_BYTES + READ_AHEAD_BYTES);
  });

  it('skips 1 GiB Clusters by size to reach Tags at the end of a WebM', async () => {
    const clusterData = GiB;
    const clusterHeader = Buffer.concat([Buffer.from('1f43b675', 'hex'), Buffer.from('01', 'hex'), Buffer.alloc(7)]);
    clusterHeader.writeUIntBE(clusterData, 6, 6);
    const tags = build.tagsElement([['WORKFLOW', JSON.stringify(WORKFLOW)]]);
    const segmentHeader = Buffer.concat([Buffer.from('18538067', 'hex'), build.UNKNOWN_SIZE]);
    const path = await sparseFile('big.webm', Buffer.concat([build.ebmlHeader(), segmentHeader, clusterHeader]), clusterData, tags);
    const { result, bytes } = await readCounting(path);
    expect(result).toEqual({ container: 'webm', workflow: WORKFLOW });
    expect(bytes).toBeLessThanOrEqual(READ_WINDOW_BYTES + READ_AHEAD_BYTES);
  });

  it('gives the same answers as the bytes variant, and its typed errors', async () => {
    const files: Record<string, Uint8Array> = {
      'a.flac': build.flac([`workflow=${JSON.stringify(WORKFLOW)}`], { padding: 200_000 }),
      'b.mp3': build.mp3([['prompt', JSON.stringify(PROMPT)]]),
      'c.ogg': build.oggOpus([`prompt=${JSON.stringify(PROMPT)}`]),
      'd.webp': build.webp(build.tiff([[0x010f, `workflow:${JSON.stringify(WORKFLOW)}`]])),
    };
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(dir, name), bytes);
      expect(await readEmbeddedWorkflowFromFile(join(dir, name))).toEqual(readEmbeddedWorkflow(bytes));
    }
    writeFileSync(join(dir, 'none.png'), build.png([]));
    await expect(readEmbeddedWorkflowFromFile(join(dir, 'none.png'))).rejects.toBeInstanceOf(ComfyNoWorkflowError);
    writeFileSync(join(dir, 'cut.png'), build.png([build.tEXt('workflow', '{}')]).subarray(0, 40));
    await expect(readEmbeddedWorkflowFromFile(join(dir, 'cut.png'))).rejects.toBeInstanceOf(ComfyMalformedFileError);
    await expect(readEmbeddedWorkflowFromFile(join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
