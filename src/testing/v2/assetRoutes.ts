import { contentHash, isContentHash } from '../../surfaces/v2/assets/contentHash';
import { isPlainObject } from '../../util/isPlainObject';
import { getView } from '../http/fileRoutes';
import { mimeOf } from '../media';
import { emptyReply, type FakeRequest, type Reply } from '../http/reply';
import { inputLocation, inOneDay } from './fakeAssets';
import type { V2Handler, V2Request } from './v2Context';
import { v2Error, v2Json } from './v2Reply';

const unknownAsset = () => v2Error(404, 'not_found', 'Unknown asset id.');

/** The asset id of `/assets/{id}[/content]`. */
function assetIdOf(request: V2Request): string {
  return decodeURIComponent(request.path.split('/')[2] ?? '');
}

/**
 * `POST /api/v2/assets` (multipart: `file`, `content_type`, `file_path`, `expected_hash`, `tags`):
 * BLAKE3 of the bytes (the library's own `contentHash`); 409 `hash_mismatch` when `expected_hash`
 * differs; the same bytes again are a dedupe hit (200, `created_new: false`, same record); new bytes
 * land in ComfyUI's input folder under `file_path` (201).
 */
export const postAsset: V2Handler = async (request, context) => {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('multipart/form-data')) return v2Error(422, 'invalid_request', 'Expected multipart/form-data.');
  let form: FormData;
  try {
    form = await new Request('http://fake.invalid/assets', { method: 'POST', headers: { 'content-type': type }, body: (await request.body()) as Uint8Array<ArrayBuffer> }).formData();
  } catch {
    return v2Error(422, 'invalid_request', 'Expected multipart/form-data.');
  }
  const file = form.get('file');
  const filePath = form.get('file_path');
  if (typeof filePath !== 'string' || filePath === '') return v2Error(422, 'invalid_request', "Missing 'file_path'.");
  if (filePath.split('/').includes('..')) return v2Error(422, 'invalid_request', `file_path must not contain '..': '${filePath}'`);
  if (filePath.startsWith('/')) return v2Error(422, 'invalid_request', `file_path must be relative: '${filePath}'`);
  if (!(file instanceof Blob)) return v2Error(422, 'invalid_request', "Missing 'file'.");
  const bytes = Buffer.from(await file.arrayBuffer());
  const hash = await contentHash(bytes);
  const expected = form.get('expected_hash');
  if (typeof expected === 'string' && expected !== '' && expected !== hash) return v2Error(409, 'hash_mismatch', 'Client-declared hash does not match the received bytes.');
  const existing = context.assets.withHash(hash);
  if (existing) return v2Json(context.assets.view(existing, context.contentUrl(existing.id, request.origin), false), 200);
  const declaredType = form.get('content_type');
  const contentType = typeof declaredType === 'string' && declaredType ? declaredType : file.type || 'application/octet-stream';
  const { subfolder, name } = inputLocation(filePath);
  context.native.files.put('input', subfolder, name, { kind: 'bytes', data: bytes });
  const asset = context.assets.add({ hash, sizeBytes: bytes.length, contentType, filePath });
  return v2Json(context.assets.view(asset, context.contentUrl(asset.id, request.origin), true), 201);
};

/** `POST /api/v2/assets/from-hash {hash, file_path?}`: an asset over bytes the server has (200), else 404 `blob_not_found`. */
export const assetFromHash: V2Handler = async (request, context) => {
  let body: unknown;
  try {
    body = JSON.parse((await request.body()).toString('utf8'));
  } catch {
    return v2Error(400, 'invalid_request', 'Body must be JSON.');
  }
  if (!isPlainObject(body) || typeof body.hash !== 'string' || body.hash === '') return v2Error(422, 'invalid_request', "Missing 'hash'.");
  const asset = context.assets.withHash(body.hash);
  if (!asset) return v2Error(404, 'blob_not_found', 'No blob the caller may mint from.');
  return v2Json(context.assets.view(asset, context.contentUrl(asset.id, request.origin), false), 200);
};

/** `HEAD /api/v2/assets/by-hash/{blake3:hex}` (the colon may be percent-encoded): 200 known, 404 unknown, empty bodies. */
export const headAssetByHash: V2Handler = (request, context) => {
  const hash = decodeURIComponent(request.path.slice('/assets/by-hash/'.length));
  return emptyReply(isContentHash(hash) && context.assets.withHash(hash) ? 200 : 404);
};

/** `GET /api/v2/assets/{id}`: an upload (UUID) or a job output (signed id, carries `job_id`); 404 otherwise. */
export const getAsset: V2Handler = (request, context) => {
  const id = assetIdOf(request);
  const url = context.contentUrl(id, request.origin);
  const uploaded = context.assets.get(id);
  if (uploaded) return v2Json(context.assets.view(uploaded, url));
  const output = context.outputIds.verify(id);
  if (!output) return unknownAsset();
  return v2Json({
    id,
    hash: null,
    size_bytes: 0,
    content_type: mimeOf(output.f),
    file_path: output.f,
    created_at: new Date().toISOString().replace('Z', '+00:00'),
    url,
    url_expires_at: inOneDay(),
    job_id: output.j,
  });
};

/** `DELETE /api/v2/assets/{id}`: 204, then the id is unknown. */
export const deleteAsset: V2Handler = (request, context) => (context.assets.delete(assetIdOf(request)) ? emptyReply(204) : unknownAsset());

/**
 * `GET /api/v2/assets/{id}/content`: the bytes, through the fake's own `/view` (Range honoured:
 * 206 with `Content-Range`); a range past the end is the proxy's 502 `upstream_error` (the native
 * 416 is not passed through).
 */
export const getAssetContent: V2Handler = async (request, context) => {
  const id = assetIdOf(request);
  const uploaded = context.assets.get(id);
  const output = uploaded ? undefined : context.outputIds.verify(id);
  if (!uploaded && !output) return unknownAsset();
  const place = uploaded ? { ...inputLocation(uploaded.filePath), type: 'input' } : { subfolder: output?.s ?? '', name: output?.f ?? '', type: output?.t ?? 'output' };
  const view: FakeRequest = {
    method: 'GET',
    path: '/view',
    query: new URLSearchParams({ filename: place.name, subfolder: place.subfolder, type: place.type }),
    headers: request.headers.range ? { range: request.headers.range } : {},
    body: async () => Buffer.alloc(0),
  };
  const reply: Reply = await getView(view, context.native);
  if (reply.status === 200 || reply.status === 206) {
    const { 'Content-Disposition': _disposition, ...headers } = reply.headers ?? {};
    return { ...reply, headers: uploaded ? { ...headers, 'Content-Type': uploaded.contentType } : headers };
  }
  if (reply.status === 404) return unknownAsset();
  return v2Error(502, 'upstream_error', 'ComfyUI returned an unexpected status for the output.');
};
