import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { parsePythonJson } from '../../protocol/pythonJson';
import { isPlainObject } from '../../util/isPlainObject';
import { maskComposite } from '../media/maskComposite';
import { type FolderType, type FileStore, normalizeSubfolder } from '../server/fileStore';
import { annotated, isFolderType } from './fileRoutes';
import { emptyReply, InternalServerError, jsonReply, textReply, type FakeRequest, type Reply } from './reply';
import type { Handler, RouteContext } from './routeContext';

/** Room for multipart boundaries and part headers above `max_upload_size` (the limit counts part contents). */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A parsed upload form, or the answer to give instead. */
type Form = { readonly kind: 'form'; readonly form: FormData } | { readonly kind: 'reply'; readonly reply: Reply };

/**
 * Reads a multipart (or urlencoded) body as aiohttp's `request.post()` does: a body that is not a
 * form is an empty one; the sum of the decoded part contents may not pass `max_upload_size`
 * (413 `Maximum request body size N exceeded.`, nothing stored; a file of exactly the limit passes).
 */
async function readForm(request: FakeRequest, context: RouteContext): Promise<Form> {
  const body = await request.body();
  const contentType = String(request.headers['content-type'] ?? '');
  let form: FormData;
  try {
    form = await new Request('http://fake.invalid/upload', { method: 'POST', headers: { 'content-type': contentType }, body: body as Uint8Array<ArrayBuffer> }).formData();
  } catch {
    form = new FormData();
  }
  const max = Number(context.features().max_upload_size);
  let size = 0;
  form.forEach((value) => (size += typeof value === 'string' ? Buffer.byteLength(value) : value.size));
  if (size > max) return { kind: 'reply', reply: textReply(`Maximum request body size ${max} exceeded.`, 413) };
  return { kind: 'form', form };
}

/** The stored name of an upload: `name`, else `stem (1).ext`, `(2)`... stopping at the first file with the same bytes (`compare_image_hash`). */
function chooseName(files: FileStore, type: FolderType, subfolder: string, base: string, data: Buffer, overwrite: boolean): { name: string; duplicate: boolean } {
  if (overwrite) return { name: base, duplicate: false };
  const extension = posix.extname(base);
  const stem = base.slice(0, base.length - extension.length);
  const digest = createHash('sha256').update(data).digest('hex');
  let name = base;
  for (let k = 1; ; k++) {
    const existing = files.get(type, subfolder, name);
    if (!existing) return { name, duplicate: false };
    if (existing.content.kind === 'bytes' && createHash('sha256').update(existing.content.data).digest('hex') === digest) return { name, duplicate: true };
    name = `${stem} (${k})${extension}`;
  }
}

/** Whether a folder holds anything (ComfyUI joins a `/` in a file name as a path and does not create its directory). */
function folderExists(files: FileStore, type: FolderType, folder: string): boolean {
  return files.list(type).some((file) => file.subfolder === folder || file.subfolder.startsWith(`${folder}/`));
}

/**
 * ComfyUI 0.8.0's `image_upload`: the `type` (input by default; another value crashes: 500), the
 * `image` file part (missing: 400; a text value: 500 unless empty), the subfolder (created, echoed
 * as sent; escaping the folder: 400), the same-name rules of {@link chooseName} unless `overwrite`
 * is exactly `true` or `1`; `save` writes the file (the mask route saves a composite instead).
 */
async function upload(request: FakeRequest, context: RouteContext, save: (data: Buffer, form: FormData, target: { type: FolderType; subfolder: string; name: string }) => void): Promise<Reply> {
  const read = await readForm(request, context);
  if (read.kind === 'reply') return read.reply;
  const { form } = read;
  const typeField = form.get('type');
  const type = typeField === null ? 'input' : typeof typeField === 'string' ? typeField : '';
  if (!isFolderType(type)) throw new InternalServerError(); // get_dir_by_type: UnboundLocalError
  const image = form.get('image');
  if (image === null) return emptyReply(400);
  if (typeof image === 'string') {
    if (image === '') return emptyReply(400);
    throw new InternalServerError(); // a text value has no .file
  }
  const fileName = (image as File).name ?? '';
  if (!fileName) {
    if (image.size === 0) return emptyReply(400);
    throw new InternalServerError();
  }
  const subfolderField = form.get('subfolder');
  const requestedSubfolder = typeof subfolderField === 'string' ? subfolderField : '';
  const subfolder = normalizeSubfolder(requestedSubfolder);
  if (subfolder === undefined || fileName.startsWith('/')) return emptyReply(400);
  const joined = posix.normalize(posix.join(subfolder || '.', fileName));
  if (joined === '..' || joined.startsWith('../')) return emptyReply(400);
  const slash = joined.lastIndexOf('/');
  const folder = slash < 0 ? '' : joined.slice(0, slash);
  if (folder !== subfolder && !folderExists(context.files, type, folder)) throw new InternalServerError(); // open() in a missing directory
  const base = joined.slice(slash + 1);
  const data = Buffer.from(await image.arrayBuffer());
  const overwriteField = form.get('overwrite');
  const { name, duplicate } = chooseName(context.files, type, folder, base, data, overwriteField === 'true' || overwriteField === '1');
  if (!duplicate) save(data, form, { type, subfolder: folder, name });
  const answered = folder === subfolder ? name : `${posix.relative(subfolder || '.', folder)}/${name}`;
  return jsonReply({ name: answered, subfolder: requestedSubfolder, type });
}

/**
 * `POST /upload/image` (multipart `image`, `type`, `subfolder`, `overwrite`): stores any file as
 * sent and answers `{name, subfolder, type}` (see {@link upload} for the rules).
 */
export const postUploadImage: Handler = (request, context) =>
  upload(request, context, (data, _form, { type, subfolder, name }) => {
    context.files.put(type, subfolder, name, { kind: 'bytes', data });
  });

/**
 * `POST /upload/mask`: like `/upload/image`, but what is stored is the image named by
 * `original_ref` (`{filename, subfolder, type}` as a JSON string; `type` defaults to output; an
 * annotated filename wins) with the mask's alpha channel ({@link maskComposite}). No `original_ref`
 * (or one that is not JSON): 500; a mask of another size: 500. An original that cannot be used
 * (missing, `..` in its name, an escaping subfolder) still answers 200 with a name, and nothing
 * is stored: the real server ignores what its save function returns.
 */
export const postUploadMask: Handler = (request, context) =>
  upload(request, context, (mask, form, target) => {
    const refText = form.get('original_ref');
    if (typeof refText !== 'string') throw new InternalServerError(); // json.loads(None)
    let ref: unknown;
    try {
      ref = parsePythonJson(refText);
    } catch (cause) {
      throw new InternalServerError(cause);
    }
    if (!isPlainObject(ref)) throw new InternalServerError();
    const original = findOriginal(context.files, ref);
    if (!original) return;
    try {
      context.files.put(target.type, target.subfolder, target.name, { kind: 'bytes', data: maskComposite(original, mask) });
    } catch (cause) {
      throw new InternalServerError(cause);
    }
  });

/** The bytes of the image `original_ref` names, when the server could open it. */
function findOriginal(files: FileStore, ref: Record<string, unknown>): Buffer | undefined {
  const { name, type: annotatedType } = annotated(String(ref.filename ?? ''));
  if (!name || name.startsWith('/') || name.includes('..')) return undefined;
  const type = annotatedType ?? String(ref.type ?? 'output');
  if (!isFolderType(type)) return undefined;
  const subfolder = normalizeSubfolder(String(ref.subfolder ?? ''));
  if (subfolder === undefined) return undefined;
  const file = files.get(type, subfolder, name);
  return file?.content.kind === 'bytes' ? file.content.data : undefined;
}
