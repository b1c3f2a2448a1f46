import { open } from 'node:fs/promises';
import { type EmbeddedWorkflow, finishScan, startScan } from './embeddedWorkflow';
import { MAGIC_BYTES, MAX_READ_AHEAD_BYTES, READ_AHEAD_BYTES, READ_WINDOW_BYTES } from './limits';
import { fileHandleReader, type RandomAccessReader } from './randomAccessReader';

/**
 * {@link readEmbeddedWorkflow} over a {@link RandomAccessReader}: the reader seeks from structure
 * to structure, so a 2 GB video costs a few small reads. The first read fetches
 * {@link READ_WINDOW_BYTES}; a later small request fetches {@link READ_AHEAD_BYTES} from its
 * position, doubling (up to {@link MAX_READ_AHEAD_BYTES}) while requests keep landing within one
 * read-ahead past the last read, so a run of chunk headers costs few reads and a far jump one page.
 */
export async function readEmbeddedWorkflowFrom(reader: RandomAccessReader): Promise<EmbeddedWorkflow> {
  let windowStart = 0;
  let window = await reader.read(0, Math.min(reader.size, READ_WINDOW_BYTES));
  const { ctx, scan } = startScan(window.subarray(0, MAGIC_BYTES), reader.size);
  let readAhead = READ_AHEAD_BYTES;
  const fetch = async (position: number, length: number): Promise<Uint8Array> => {
    const windowEnd = windowStart + window.length;
    if (position >= windowStart && position + length <= windowEnd) {
      return window.subarray(position - windowStart, position - windowStart + length);
    }
    const gap = position - windowEnd;
    readAhead = gap >= 0 && gap < readAhead ? Math.min(2 * readAhead, MAX_READ_AHEAD_BYTES) : READ_AHEAD_BYTES;
    if (length > readAhead) return reader.read(position, length);
    windowStart = position;
    window = await reader.read(position, Math.min(reader.size - position, readAhead));
    return window.subarray(0, length);
  };
  try {
    let step = scan.next();
    while (!step.done) step = scan.next(await fetch(step.value.position, step.value.length));
  } catch (failure) {
    return finishScan(ctx, failure);
  }
  return finishScan(ctx);
}

/**
 * Reads the embedded `workflow`/`prompt` of a file on disk, seeking over image data, `mdat`
 * boxes and Clusters instead of loading the file (see {@link readEmbeddedWorkflow} for formats).
 * @throws ComfyNoWorkflowError, ComfyMalformedFileError as the bytes variant; file-system errors (ENOENT) as they are.
 * @example const { workflow } = await readEmbeddedWorkflowFromFile('output/ComfyUI_00001_.mp4');
 */
export async function readEmbeddedWorkflowFromFile(path: string): Promise<EmbeddedWorkflow> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await readEmbeddedWorkflowFrom(fileHandleReader(handle, size));
  } finally {
    await handle.close();
  }
}
