import { open } from 'node:fs/promises';
import { type EmbeddedWorkflow, finishScan, startScan } from './embeddedWorkflow';
import { MAGIC_BYTES, READ_WINDOW_BYTES } from './limits';
import { fileHandleReader, type RandomAccessReader } from './randomAccessReader';

/**
 * {@link readEmbeddedWorkflow} over a {@link RandomAccessReader}: the reader seeks from structure
 * to structure, so a 2 GB video costs a few small reads. Small requests are served from one
 * {@link READ_WINDOW_BYTES} window, so a run of small chunk headers is one read.
 */
export async function readEmbeddedWorkflowFrom(reader: RandomAccessReader): Promise<EmbeddedWorkflow> {
  let windowStart = 0;
  let window = await reader.read(0, Math.min(reader.size, READ_WINDOW_BYTES));
  const { ctx, scan } = startScan(window.subarray(0, MAGIC_BYTES), reader.size);
  const fetch = async (position: number, length: number): Promise<Uint8Array> => {
    if (position >= windowStart && position + length <= windowStart + window.length) {
      return window.subarray(position - windowStart, position - windowStart + length);
    }
    if (length > READ_WINDOW_BYTES) return reader.read(position, length);
    windowStart = position;
    window = await reader.read(position, Math.min(reader.size - position, READ_WINDOW_BYTES));
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
