import { posix } from 'node:path';
import { mimeOf } from '../media';
import { FOLDER_TYPES, normalizeSubfolder, type FolderType } from '../server/fileStore';
import { emptyReply, type Reply } from './reply';
import type { Handler } from './routeContext';

/** Types `/view` serves as attachments-safe bytes rather than as themselves. */
const UNSAFE_TYPES = new Set(['text/html', 'text/html-sandboxed', 'application/xhtml+xml', 'text/javascript', 'text/css']);

export const isFolderType = (value: string): value is FolderType => (FOLDER_TYPES as readonly string[]).includes(value);

/** Splits a `" [output]"`-style annotation off a file name (`folder_paths.annotated_filepath`). */
export function annotated(name: string): { name: string; type?: FolderType } {
  for (const type of FOLDER_TYPES) {
    if (name.endsWith(`[${type}]`)) return { name: name.slice(0, -(type.length + 3)), type };
  }
  return { name };
}

/** Parses `Range: bytes=a-b` against a length (single ranges only). */
function byteRange(header: string | undefined, length: number): { start: number; end: number } | undefined | 'invalid' {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, length - Number(match[2]));
    end = length;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? length : Math.min(length, Number(match[2]) + 1);
  }
  return start < end && start < length ? { start, end } : 'invalid';
}

/**
 * `GET /view?filename&subfolder&type`: 404 when missing, 400 for a name starting with `/` or
 * containing `..` (or a bad type), 403 for a subfolder escaping its root; Content-Type from the
 * extension, Range requests honoured, generated files streamed.
 */
export const getView: Handler = (request, context) => {
  const rawName = request.query.get('filename');
  if (rawName === null) return emptyReply(404);
  const { name: annotatedName, type: annotatedType } = annotated(rawName);
  if (!annotatedName) return emptyReply(400);
  if (annotatedName.startsWith('/') || annotatedName.includes('..')) return emptyReply(400);
  const type = annotatedType ?? request.query.get('type') ?? 'output';
  if (!isFolderType(type)) return emptyReply(400);
  const subfolder = normalizeSubfolder(request.query.get('subfolder') ?? '');
  if (subfolder === undefined) return emptyReply(403);
  const name = posix.basename(annotatedName);
  const file = context.files.get(type, subfolder, name);
  if (!file) return emptyReply(404);

  const contentType = mimeOf(name);
  const headers: Record<string, string> = {
    'Content-Type': UNSAFE_TYPES.has(contentType) ? 'application/octet-stream' : contentType,
    'Content-Disposition': `filename="${name}"`,
    'Accept-Ranges': 'bytes',
  };
  const rendered = context.renderer.render(file);
  const length = rendered.kind === 'bytes' ? rendered.data.length : rendered.length;
  const range = byteRange(typeof request.headers.range === 'string' ? request.headers.range : undefined, length);
  if (range === 'invalid') return { status: 416, headers: { 'Content-Range': `bytes */${length}` } };
  const { start, end } = range ?? { start: 0, end: length };
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${length}`;
  const reply: Reply =
    rendered.kind === 'bytes'
      ? { status, headers, body: range ? rendered.data.subarray(start, end) : rendered.data }
      : { status, headers, stream: { length: end - start, open: () => rendered.open(start, end) } };
  return reply;
};
