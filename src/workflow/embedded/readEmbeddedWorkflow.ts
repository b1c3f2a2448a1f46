import { type EmbeddedWorkflow, finishScan, startScan } from './embeddedWorkflow';
import { MAGIC_BYTES } from './limits';

/**
 * Reads the `workflow` and `prompt` that ComfyUI embeds in its output files: PNG (`tEXt`, `iTXt`,
 * `zTXt`, APNG `comf`), WebP (EXIF), MP4/MOV, WebM/MKV, FLAC, MP3 (ID3v2) and Ogg (Opus, Vorbis).
 * The container is recognised by its magic bytes; only the metadata structures are looked at.
 * For files on disk prefer {@link readEmbeddedWorkflowFromFile}, which seeks instead of loading.
 * @param bytes The whole file.
 * @returns The parsed JSON values (objects) and the container.
 * @throws ComfyNoWorkflowError when the file carries neither (or is no known container).
 * @throws ComfyMalformedFileError when the file is truncated, hostile, or holds broken JSON.
 * @example
 * const { workflow, prompt } = readEmbeddedWorkflow(readFileSync('ComfyUI_00001_.png'));
 */
export function readEmbeddedWorkflow(bytes: Uint8Array): EmbeddedWorkflow {
  const { ctx, scan } = startScan(bytes.subarray(0, MAGIC_BYTES), bytes.length);
  try {
    let step = scan.next();
    while (!step.done) {
      const { position, length } = step.value;
      step = scan.next(bytes.subarray(position, position + length));
    }
  } catch (failure) {
    return finishScan(ctx, failure);
  }
  return finishScan(ctx);
}
