import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ComfyOptionsError } from '../errors';
import { InputFile, isInputFile } from '../inputs/inputFile';
import { type InputSource, isInputSource } from '../inputs/inputSource';
import type { InputValue } from '../inputs/resolveInputs';
import { isPlainObject } from '../util/isPlainObject';
import type { BatchInput } from './runBatch';

/** Extensions a folder of inputs is read for by default: pictures, videos and sounds. */
export const MEDIA_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.mp4', '.mov', '.webm', '.mkv', '.wav', '.flac', '.mp3', '.ogg', '.opus', '.m4a'];

/** A folder of input files: its media files (by extension), sorted by name with numbers in order. */
export interface InputFolder {
  readonly dir: string;
  /** Lower-case extensions with their dot. Default {@link MEDIA_EXTENSIONS}. */
  readonly extensions?: readonly string[];
}

/**
 * The files of a folder to use as a batch's inputs: regular files with one of the extensions
 * (hidden files left out), sorted by name (`2.png` before `10.png`).
 * @throws ComfyOptionsError when the folder cannot be read or holds no such file.
 */
export function inputsInFolder(folder: InputFolder): string[] {
  const extensions = new Set((folder.extensions ?? MEDIA_EXTENSIONS).map((extension) => extension.toLowerCase()));
  let names: string[];
  try {
    names = readdirSync(folder.dir);
  } catch (cause) {
    throw new ComfyOptionsError(`inputs: cannot read the folder ${folder.dir} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`);
  }
  const files = names
    .filter((name) => !name.startsWith('.') && extensions.has(extname(name).toLowerCase()))
    .filter((name) => statSync(join(folder.dir, name), { throwIfNoEntry: false })?.isFile() ?? false)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (files.length === 0) throw new ComfyOptionsError(`inputs: the folder ${folder.dir} holds no input file (${[...extensions].join(' ')})`);
  return files.map((name) => join(folder.dir, name));
}

const isUploadedFile = (value: unknown): value is { value: string; name: string } => isPlainObject(value) && typeof value.value === 'string' && typeof value.name === 'string';

/** How an input is named in labels and file names: a path by its base name, a server's output by its file name. */
function sourceOf(file: InputFile): string {
  if (file.source.kind === 'path') return basename(file.source.path);
  if (file.source.kind === 'output') return file.source.output.file.filename;
  return file.description;
}

/**
 * A batch's inputs, one handle per input (each read and hashed once, however many items use it):
 * sources become `inputFile` handles, handles stay, `UploadedFile`s (already on the server) are
 * written as their value.
 * @throws ComfyOptionsError for a value that is none of these.
 */
export function batchInputs(values: readonly (InputValue | InputSource)[] | InputFolder): BatchInput[] {
  const list = Array.isArray(values) ? values : inputsInFolder(values as InputFolder);
  return list.map((value, index) => {
    if (isInputFile(value)) return { value, source: sourceOf(value) };
    if (isUploadedFile(value)) return { value: value.value, source: value.value };
    if (isInputSource(value)) {
      const file = new InputFile(value);
      return { value: file, source: sourceOf(file) };
    }
    throw new ComfyOptionsError(`inputs[${index}]: expected a path, an http(s) URL, bytes, a Blob, a Readable, an inputFile handle or an UploadedFile`);
  });
}
