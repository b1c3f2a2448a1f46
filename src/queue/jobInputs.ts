import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ComfyOptionsError } from '../errors';
import { DEFAULT_INLINE_INPUT_BYTES } from '../inputs/constants';
import { ComfyInputError } from '../inputs/errors';
import { InputFile, isInputFile } from '../inputs/inputFile';
import { containsInputFile } from '../inputs/replaceHandles';
import { type ClassifiedSource, classifySource, describeSource, isInputSource } from '../inputs/inputSource';
import type { InputsOption, InputValue } from '../inputs/resolveInputs';
import { isUiWorkflow } from '../workflow/convert/isUiWorkflow';
import { isPlainObject } from '../util/isPlainObject';

/** How a job's input is stored, besides its source: the options of `inputFile` that survive JSON (no masks). */
const StoredOptions = {
  /** `inputFile`'s `dedupe` (default true). */
  dedupe: z.boolean().optional(),
  /** The file name (its extension gives the type). */
  name: z.string().min(1).optional(),
  subfolder: z.string().optional(),
  type: z.enum(['input', 'temp', 'output']).optional(),
  overwrite: z.boolean().optional(),
};

/**
 * An input file in a queue job, never large bytes in Redis: a path (absolute; for workers that
 * share a folder with the producer), an `http(s)` URL (without credentials), or small inline
 * bytes (base64, up to the queue's `maxInlineInputBytes`).
 */
export const JobInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1), ...StoredOptions }),
  z.object({ kind: z.literal('url'), url: z.string().regex(/^https?:\/\//i), ...StoredOptions }),
  z.object({ kind: z.literal('inline'), base64: z.string(), bytes: z.number().int().nonnegative(), ...StoredOptions }),
]);
export type JobInput = z.infer<typeof JobInput>;

/** A job's inputs: `{ '<node id or title>.inputs.<name>': JobInput }`. */
export const JobInputs = z.record(z.string().min(1), JobInput);
export type JobInputs = z.infer<typeof JobInputs>;

/** Reads a stream into memory up to `limit` bytes; `undefined` past it (the rest is not read). */
async function readBounded(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (key: string, source: string, limit: number): ComfyInputError =>
  new ComfyInputError(
    `job input ${JSON.stringify(key)} (${source}) is over ${limit} bytes, too large to carry inline in a job: give a path the workers can read, or an http(s) URL (or raise maxInlineInputBytes)`,
    'inline-too-large',
    source,
  );

/** One source as a job input. */
async function jobInputOf(key: string, source: ClassifiedSource, options: z.infer<z.ZodObject<typeof StoredOptions>>, limit: number): Promise<JobInput> {
  const described = describeSource(source);
  switch (source.kind) {
    case 'path':
      return { kind: 'path', path: isAbsolute(source.path) ? source.path : resolve(source.path), ...options };
    case 'url':
      if (source.url.username || source.url.password) {
        throw new ComfyOptionsError(`job input ${JSON.stringify(key)}: a URL with credentials cannot be stored in a job (Redis); put them elsewhere (a signed URL, a path)`);
      }
      return { kind: 'url', url: source.url.href, ...options };
    case 'bytes':
    case 'blob':
    case 'stream': {
      const size = source.kind === 'bytes' ? source.bytes.byteLength : source.kind === 'blob' ? source.blob.size : undefined;
      if (size !== undefined && size > limit) throw tooLarge(key, described, limit);
      const bytes =
        source.kind === 'bytes'
          ? Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength)
          : source.kind === 'blob'
            ? Buffer.from(await source.blob.arrayBuffer())
            : await readBounded(source.stream, limit);
      if (!bytes) throw tooLarge(key, described, limit);
      const name = options.name ?? (source.kind === 'blob' && source.blob instanceof File && source.blob.name ? source.blob.name : undefined);
      return { kind: 'inline', base64: bytes.toString('base64'), bytes: bytes.length, ...options, ...(name ? { name } : {}) };
    }
    case 'output':
      throw new ComfyOptionsError(`job input ${JSON.stringify(key)}: a server's output file cannot go into a job; give its /view URL instead`);
  }
}

/** The JSON-safe options of a handle; a mask cannot go into a job. */
function storedOptionsOf(key: string, file: InputFile): z.infer<z.ZodObject<typeof StoredOptions>> {
  const { mask, ...rest } = file.options;
  if (mask) throw new ComfyOptionsError(`job input ${JSON.stringify(key)}: masks cannot go into a job; upload the mask first (comfy.upload) and pass its stored name`);
  return rest;
}

/**
 * What a producer stores for a job's input files: the `inputs` option (`{ 'Load Image.inputs.image':
 * 'photo.png' }`) and the `inputFile` handles standing in an API workflow's inputs, each as a
 * {@link JobInput}; the workflow keeps a placeholder (the source's description) where a handle
 * stood, which the worker replaces. An `UploadedFile` value is written into the workflow as it is.
 * @throws ComfyInputError (`inline-too-large`) for bytes, a Blob or a stream over `maxInlineBytes`;
 *   ComfyOptionsError for a value that is no source, a URL with credentials, a mask, or handles in
 *   a UI-format workflow (give those with `inputs`).
 */
export async function toJobInputs(
  workflow: Record<string, unknown>,
  inputs: InputsOption | undefined,
  maxInlineBytes: number = DEFAULT_INLINE_INPUT_BYTES,
): Promise<{ workflow: Record<string, unknown>; inputs: JobInputs }> {
  const stored: JobInputs = {};
  let copy = workflow;
  const add = async (key: string, value: InputValue): Promise<void> => {
    if (isInputFile(value)) stored[key] = await jobInputOf(key, value.source, storedOptionsOf(key, value), maxInlineBytes);
    else if (isInputSource(value)) stored[key] = await jobInputOf(key, classifySource(value), {}, maxInlineBytes);
    else throw new ComfyOptionsError(`job input ${JSON.stringify(key)}: expected a path, an http(s) URL, bytes, a Blob, a Readable or an inputFile handle`);
  };
  for (const [key, value] of Object.entries(inputs ?? {})) {
    if (isPlainObject(value) && typeof value.value === 'string' && typeof value.name === 'string') {
      const match = /^(.+)\.inputs\.([^.]+)$/.exec(key);
      const node = match?.[1] !== undefined ? copy[match[1]] : undefined;
      if (!match || !isPlainObject(node) || !isPlainObject(node.inputs)) throw new ComfyOptionsError(`job input ${JSON.stringify(key)}: an UploadedFile needs a node id path (<node id>.inputs.<name>)`);
      copy = { ...copy, [match[1] as string]: { ...node, inputs: { ...node.inputs, [match[2] as string]: value.value } } };
      continue;
    }
    await add(key, value);
  }
  if (isUiWorkflow(workflow)) {
    if (containsInputFile(workflow)) {
      throw new ComfyOptionsError('inputFile handles inside a UI-format workflow cannot go into a job: give them with the `inputs` option (keys by node id or title)');
    }
    return { workflow: copy, inputs: stored };
  }
  for (const [node, spec] of Object.entries(copy)) {
    if (!isPlainObject(spec) || !isPlainObject(spec.inputs)) continue;
    for (const [name, value] of Object.entries(spec.inputs)) {
      if (!isInputFile(value)) continue;
      const key = `${node}.inputs.${name}`;
      if (!(key in stored)) await add(key, value);
      const current = copy[node] as { inputs: Record<string, unknown> };
      copy = { ...copy, [node]: { ...current, inputs: { ...current.inputs, [name]: value.description } } };
    }
  }
  return { workflow: copy, inputs: stored };
}

/**
 * A job's stored inputs as the `inputs` run option the worker's target resolves on the server
 * that runs the prompt: a path or URL is read there, inline bytes are decoded.
 */
export function fromJobInputs(inputs: JobInputs): InputsOption {
  const option: Record<string, InputFile> = {};
  for (const [key, input] of Object.entries(inputs)) {
    const { kind: _kind, ...rest } = input;
    const { path: _path, url: _url, base64: _base64, bytes: _bytes, ...options } = rest as Record<string, unknown>;
    const source = input.kind === 'path' ? input.path : input.kind === 'url' ? input.url : Buffer.from(input.base64, 'base64');
    option[key] = new InputFile(source, options as ConstructorParameters<typeof InputFile>[1]);
  }
  return option;
}

