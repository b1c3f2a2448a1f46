import type { FileHandle } from 'node:fs/promises';

/** Positioned reads over a file (or anything else): what {@link readEmbeddedWorkflowFrom} reads through. */
export interface RandomAccessReader {
  /** Size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `position` (fewer only at the end). */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** A {@link RandomAccessReader} over an open file handle (`FileHandle.read` at a position: no loading). */
export function fileHandleReader(handle: FileHandle, size: number): RandomAccessReader {
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}
