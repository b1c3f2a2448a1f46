import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, link, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ComfyRxError } from '../errors';
import { toError } from '../util/toError';

/**
 * What to do when the target file already exists:
 * - `rename` (default): keep both, the new file gets a free name (`name (1).png`, `name (2).png`...);
 * - `overwrite`: replace it (atomically: readers see the old or the new file, never half of one);
 * - `skip`: keep the old file and do not download;
 * - `error`: fail with {@link ComfyOutputExistsError}.
 */
export type OnExisting = 'rename' | 'overwrite' | 'skip' | 'error';
export const ON_EXISTING = ['rename', 'overwrite', 'skip', 'error'] as const satisfies readonly OnExisting[];

/** Highest `(n)` suffix `rename` tries before giving up. */
const MAX_RENAME_SUFFIX = 9_999;

/** The target file exists and `onExisting` is `'error'` (or no free name was left for `'rename'`). */
export class ComfyOutputExistsError extends ComfyRxError {
  readonly code = 'COMFYRX_OUTPUT_EXISTS';
  constructor(readonly path: string) {
    super(`Output file already exists: ${path}`);
    this.name = 'ComfyOutputExistsError';
  }
}

/** Where a stream was written. */
export interface WriteResult {
  /** The final path (with a `(n)` suffix when `rename` had to pick another name). */
  readonly path: string;
  readonly bytes: number;
  /** `skip`: the file existed, nothing was written (`bytes` is the existing file's size). */
  readonly skipped: boolean;
}

/** Options of {@link writeFileAtomically}. */
export interface WriteOptions {
  onExisting: OnExisting;
  /** Aborting stops the copy, destroys the source and removes the partial file. */
  signal?: AbortSignal;
  /** Bytes the source announced: a different count is a failure of the source (truncated download). */
  expectedBytes?: number;
  /** Turns a failure of the source (not of the disk) into the caller's error type. */
  sourceError?: (cause: unknown) => Error;
}

/**
 * Settles `onExisting` before anything is downloaded: `skip` and an existing file -> its result;
 * `error` and an existing file -> {@link ComfyOutputExistsError}; otherwise `undefined` (go on).
 */
export async function checkExisting(target: string, onExisting: OnExisting): Promise<WriteResult | undefined> {
  if (onExisting !== 'skip' && onExisting !== 'error') return undefined;
  const existing = await stat(target).catch(() => undefined);
  if (!existing) return undefined;
  if (onExisting === 'error') throw new ComfyOutputExistsError(target);
  return { path: target, bytes: existing.size, skipped: true };
}

/**
 * Streams `source` to `target` without holding it in memory and without a half-written file ever
 * bearing the final name: the bytes go to a hidden temp file beside the target (`.comfyui-rx-*.part`),
 * which is then linked (no-clobber) or renamed into place according to `onExisting`. On any failure
 * or abort the temp file is removed and the source destroyed.
 * @returns The final path and size.
 */
export async function writeFileAtomically(source: Readable, target: string, options: WriteOptions): Promise<WriteResult> {
  const { onExisting, signal, expectedBytes, sourceError = (cause: unknown) => toError(cause) } = options;
  let sourceFailed = false;
  source.once('error', () => (sourceFailed = true));
  const temp = path.join(path.dirname(target), `.comfyui-rx-${randomBytes(6).toString('hex')}.part`);
  let bytes = 0;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    const count = async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        yield chunk;
      }
    };
    await pipeline(source, count, createWriteStream(temp, { flags: 'wx' }), { signal });
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      sourceFailed = true;
      throw new Error(`the body ended after ${bytes} of ${expectedBytes} bytes`);
    }
    return await commit(temp, target, onExisting, bytes);
  } catch (error) {
    source.destroy();
    await rm(temp, { force: true });
    throw sourceFailed && !signal?.aborted ? sourceError(error) : error;
  }
}

/** Moves the finished temp file to its final name. */
async function commit(temp: string, target: string, onExisting: OnExisting, bytes: number): Promise<WriteResult> {
  if (onExisting === 'overwrite') {
    await rename(temp, target);
    return { path: target, bytes, skipped: false };
  }
  for (let n = 0; n <= MAX_RENAME_SUFFIX; n++) {
    const candidate = n === 0 ? target : numbered(target, n);
    if (await placeNoClobber(temp, candidate)) return { path: candidate, bytes, skipped: false };
    if (onExisting === 'skip') {
      // appeared while we downloaded: keep the other writer's file
      await rm(temp, { force: true });
      return { path: target, bytes: (await stat(target)).size, skipped: true };
    }
    if (onExisting === 'error') throw new ComfyOutputExistsError(target);
  }
  throw new ComfyOutputExistsError(target);
}

/**
 * Gives `temp` the name `candidate` unless that name exists: a hard link fails atomically with
 * EEXIST, so two writers can never take the same name. Where links are not supported, it falls
 * back to check-then-rename (a tiny race window). Returns false when the name is taken.
 */
async function placeNoClobber(temp: string, candidate: string): Promise<boolean> {
  try {
    await link(temp, candidate);
    await rm(temp, { force: true });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!code || !LINK_UNSUPPORTED.has(code)) throw error;
  }
  const taken = await access(candidate).then(
    () => true,
    () => false,
  );
  if (taken) return false;
  await rename(temp, candidate);
  return true;
}

const LINK_UNSUPPORTED: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** `dir/name (n).ext` */
function numbered(target: string, n: number): string {
  const ext = path.extname(target);
  return path.join(path.dirname(target), `${path.basename(target, ext)} (${n})${ext}`);
}
