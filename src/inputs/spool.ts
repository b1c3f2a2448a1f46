import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, unlink } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback, pipeline } from 'node:stream';

let spoolDir: string | undefined;

/** This process's folder for spooled inputs, removed when the process exits. */
function directory(): string {
  if (!spoolDir) {
    const dir = join(tmpdir(), `comfyui-rx-inputs-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    spoolDir = dir;
  }
  return spoolDir;
}

/** What {@link spool} wrote: the file, its size, hash and first bytes. */
export interface Spooled {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** Up to the first 32 bytes (to sniff the type). */
  readonly head: Buffer;
  /** Deletes the file (also done when the process exits). */
  remove(): void;
}

const HEAD_BYTES = 32;

/**
 * Copies a stream (a URL's body, a caller's `Readable`) to a temporary file while hashing it, so
 * it can be hashed before it is uploaded, uploaded to several servers, and never held in memory.
 * The file lives in a private folder of the OS temp directory, removed at exit.
 */
export function spool(stream: Readable): Promise<Spooled> {
  const path = join(directory(), randomBytes(12).toString('hex'));
  const hash = createHash('sha256');
  let size = 0;
  const heads: Buffer[] = [];
  let headLength = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      size += chunk.length;
      if (headLength < HEAD_BYTES) {
        heads.push(chunk.subarray(0, HEAD_BYTES - headLength));
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
      }
      callback(null, chunk);
    },
  });
  const remove = (): void => unlink(path, () => undefined);
  return new Promise((resolve, reject) => {
    pipeline(stream, tap, createWriteStream(path, { mode: 0o600 }), (error) => {
      if (error) {
        remove();
        reject(error);
        return;
      }
      resolve({ path, size, sha256: hash.digest('hex'), head: Buffer.concat(heads), remove });
    });
  });
}
