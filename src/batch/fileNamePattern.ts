import path from 'node:path';
import { ComfyOptionsError } from '../errors';
import type { OutputFile } from '../outputs/outputFiles';
import { safeFileName } from '../outputs/safeFileName';
import type { BatchItem } from './batchEvents';

/** Default local file name of a batch output: description, image, seed, server name. */
export const DEFAULT_FILE_PATTERN = '{d}-{i}-{seed}-{name}';

/** Default local file name of a batch over input files: input number and name, then as {@link DEFAULT_FILE_PATTERN}. */
export const INPUT_FILE_PATTERN = '{j}-{input}-{d}-{i}-{seed}-{name}';

/** Longest `{slug}`, in characters. */
const SLUG_MAX = 48;

/** How a `{token}` of a file-name pattern gets its text from the batch item and the output file. */
export type TokenValue = (item: BatchItem, file: OutputFile, fileIndex: number) => string;

const pad = (n: number, of: number): string => String(n).padStart(String(of).length, '0');
const serverName = (file: OutputFile): string => path.posix.basename(file.file.filename.replace(/\\/g, '/'));
const extension = (file: OutputFile): string => path.extname(serverName(file)).slice(1);

/** The tokens of a file-name pattern. Numbers are 1-based and zero-padded to the count's width. */
export const FILE_PATTERN_TOKENS: Readonly<Record<string, TokenValue>> = {
  /** Item number in the batch. */
  n: (item) => pad(item.index + 1, item.total),
  /** Description number. */
  d: (item) => pad(item.descriptionIndex + 1, item.descriptionCount),
  /** Image (or video) number within its description. */
  i: (item) => pad(item.imageIndex + 1, item.perDescription),
  /** File number within the item (several outputs, or a batch size above 1). */
  k: (_item, _file, fileIndex) => String(fileIndex + 1),
  seed: (item) => String(item.seed),
  /** The server's file name without its extension. */
  name: (_item, file) => path.basename(serverName(file), path.extname(serverName(file))),
  /** The server's extension, without the dot. */
  ext: (_item, file) => extension(file),
  /** The node that produced the file. */
  node: (_item, file) => file.nodeId,
  /** The description, lower-case, words joined by `-`. */
  slug: (item) => slugOf(item.description) || 'description',
  /** Input number (image strategies). */
  j: (item) => (item.input ? pad(item.input.index + 1, item.input.total) : '1'),
  /** The input's name without its extension, as a slug (image strategies). */
  input: (item) => (item.input ? slugOf(path.basename(item.input.source, path.extname(item.input.source))) : '') || 'input',
};

function slugOf(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
}

const TOKEN = /\{([a-zA-Z]+)\}/g;

/**
 * Compiles a file-name pattern like `{d}-{i}-{seed}-{name}` (tokens: {@link FILE_PATTERN_TOKENS};
 * `/` makes sub-folders). The server's extension is appended unless the pattern uses `{ext}`. Token
 * values are sanitised (a hostile server name cannot add a path segment); the caller still
 * resolves the result inside the output folder.
 * @throws ComfyOptionsError for an unknown token, naming the known ones.
 */
export function compileFilePattern(pattern: string): (item: BatchItem, file: OutputFile, fileIndex: number) => string {
  for (const [, token] of pattern.matchAll(TOKEN)) {
    if (token === undefined || !Object.hasOwn(FILE_PATTERN_TOKENS, token)) {
      throw new ComfyOptionsError(`out.pattern: unknown token {${token}} in ${JSON.stringify(pattern)} (known: ${Object.keys(FILE_PATTERN_TOKENS).map((t) => `{${t}}`).join(' ')})`);
    }
  }
  const withExt = pattern.includes('{ext}');
  return (item, file, fileIndex) => {
    const name = pattern.replace(TOKEN, (_whole, token: string) => {
      const value = Object.hasOwn(FILE_PATTERN_TOKENS, token) ? FILE_PATTERN_TOKENS[token] : undefined;
      return value ? safeFileName(value(item, file, fileIndex), '_') : '';
    });
    const ext = extension(file);
    return withExt || !ext ? name : `${name}.${safeFileName(ext, '')}`;
  };
}
