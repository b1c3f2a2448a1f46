import { randomUUID } from 'node:crypto';
import { V2AssetReference, V2JobStatus } from '../../surfaces/v2/wire';
import { isPlainObject } from '../../util/isPlainObject';
import { isUiWorkflow } from '../../workflow/convert/isUiWorkflow';
import { postPrompt } from '../http/promptRoutes';
import type { FakeRequest } from '../http/reply';
import { inputLocation } from './fakeAssets';
import type { FakeV2Job } from './fakeV2Jobs';
import type { V2Context, V2Handler, V2Request } from './v2Context';
import { v2Error, v2Json } from './v2Reply';

const KEY_REUSE_MESSAGE = 'This Idempotency-Key has already been used. Keys are single-use; poll or list your jobs instead of resubmitting with the same key.';
const DEFAULT_LIST_LIMIT = 20;

const notFound = (id: string) => v2Error(404, 'not_found', `No job ${id}.`);

/** The job a `/jobs/{id}[/...]` path names, or undefined. */
export function jobOf(request: V2Request, context: V2Context): { id: string; job?: FakeV2Job } {
  const id = decodeURIComponent(request.path.split('/')[2] ?? '');
  return { id, job: context.jobs.get(id) };
}

/** Replaces `core/ASSET` references by the file names ComfyUI loads; lists the ids it cannot resolve. */
function resolveAssets(workflow: Record<string, unknown>, context: V2Context): { graph: Record<string, unknown>; missing: string[] } {
  const missing: string[] = [];
  const graph: Record<string, unknown> = {};
  for (const [nodeId, node] of Object.entries(workflow)) {
    if (!isPlainObject(node) || !isPlainObject(node.inputs)) {
      graph[nodeId] = node;
      continue;
    }
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      const reference = V2AssetReference.safeParse(value);
      if (!reference.success) {
        inputs[name] = value;
        continue;
      }
      const { id } = reference.data.info;
      const uploaded = context.assets.get(id);
      const output = uploaded ? undefined : context.outputIds.verify(id);
      if (uploaded) {
        const { subfolder, name: file } = inputLocation(uploaded.filePath);
        inputs[name] = subfolder ? `${subfolder}/${file}` : file;
      } else if (output) inputs[name] = `${output.s ? `${output.s}/` : ''}${output.f} [${output.t}]`;
      else missing.push(id);
    }
    graph[nodeId] = { ...node, inputs };
  }
  return { graph, missing };
}

/**
 * `POST /api/v2/jobs`: the body checks of the recordings (JSON, `workflow`, reserved fields, closed
 * `extra_data`, UI format), single-use `Idempotency-Key` (released when ComfyUI rejects), asset
 * references, then the native `POST /prompt` of the fake itself (its validation, ComfyUI's 400 as
 * 422 `invalid_workflow`). 201 with the Job.
 */
export const postJob: V2Handler = async (request, context) => {
  const rawKey = request.headers['idempotency-key'];
  const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
  if (key !== undefined && (key.length < 1 || key.length > 255)) return v2Error(400, 'invalid_request', 'Idempotency-Key must be 1-255 characters.');
  let body: unknown;
  try {
    body = JSON.parse((await request.body()).toString('utf8'));
  } catch {
    return v2Error(400, 'invalid_request', 'Body must be JSON.');
  }
  if (!isPlainObject(body) || !('workflow' in body)) return v2Error(422, 'invalid_workflow', "Missing 'workflow' (API-format graph).");
  if ('webhook_url' in body || 'inputs' in body) return v2Error(422, 'invalid_workflow', "'webhook_url' and 'inputs' are reserved and not accepted.");
  const extra = body.extra_data;
  if (extra !== undefined && (!isPlainObject(extra) || Object.keys(extra).some((k) => k !== 'api_key_comfy_org'))) {
    return v2Error(400, 'invalid_request', "'extra_data' accepts only the 'api_key_comfy_org' field.");
  }
  const workflow = body.workflow;
  if (isUiWorkflow(workflow)) return v2Error(422, 'workflow_format_ui', 'This is a UI-export graph. Export the workflow in API format instead.');
  if (!isPlainObject(workflow)) return v2Error(422, 'invalid_workflow', "Missing 'workflow' (API-format graph).");
  if (key !== undefined && context.usedKeys.has(key)) return v2Error(422, 'idempotency_key_reuse', KEY_REUSE_MESSAGE);
  const { graph, missing } = resolveAssets(workflow, context);
  if (missing.length) return v2Error(422, 'missing_asset', `Unresolvable core/ASSET reference(s): ${missing.join(', ')}`, { missing_ids: missing });

  const jobId = randomUUID();
  if (key !== undefined) context.usedKeys.add(key);
  const upstreamBody = { prompt: graph, client_id: context.proxySid, prompt_id: jobId, ...(isPlainObject(extra) && extra.api_key_comfy_org ? { extra_data: { api_key_comfy_org: extra.api_key_comfy_org } } : {}) };
  const upstream: FakeRequest = { method: 'POST', path: '/prompt', query: new URLSearchParams(), headers: {}, body: async () => Buffer.from(JSON.stringify(upstreamBody)) };
  const answer = await postPrompt(upstream, context.native);
  if (answer.status !== 200) {
    if (key !== undefined) context.usedKeys.delete(key);
    if (answer.status !== 400) return v2Error(502, 'upstream_error', 'ComfyUI returned an unexpected status.');
    const rejection = JSON.parse(String(answer.body)) as { error: { message: string }; node_errors: unknown };
    return v2Error(422, 'invalid_workflow', rejection.error.message, { node_errors: rejection.node_errors });
  }
  const job = context.jobs.add(jobId, workflow, { metadata: body.metadata, priority: typeof body.priority === 'number' ? body.priority : undefined });
  const view = context.jobs.view(job, request.origin);
  return v2Json({ ...view, queue_position: null }, 201);
};

/** `GET /api/v2/jobs?status=a,b&limit=n`: the proxy's jobs, newest first; bad filters are 400. */
export const listJobs: V2Handler = (request, context) => {
  const statusParam = request.query.get('status');
  const wanted = statusParam ? statusParam.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const unknown = wanted?.filter((s) => !V2JobStatus.safeParse(s).success) ?? [];
  if (unknown.length) return v2Error(400, 'invalid_request', `Unknown status filter value(s): ${unknown.join(', ')}.`);
  const limitParam = request.query.get('limit');
  const limit = limitParam === null ? DEFAULT_LIST_LIMIT : Number(limitParam);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return v2Error(400, 'invalid_request', "'limit' must be between 1 and 100.");
  const views = [];
  for (const job of context.jobs.newestFirst()) {
    const view = context.jobs.view(job, request.origin, { outputUrl: (id) => context.contentUrl(id, request.origin) });
    if (wanted && !wanted.includes(view.status)) continue;
    views.push(view);
    if (views.length === limit) break;
  }
  // `truncated` is the proxy's own in-memory record having dropped old jobs, which the fake never does.
  return v2Json({ jobs: views, truncated: false });
};

/** `GET /api/v2/jobs/{id}`: read through `/history` then `/queue` (with the proxy's race). */
export const getJob: V2Handler = (request, context) => {
  const { id, job } = jobOf(request, context);
  if (!job) return notFound(id);
  return v2Json(context.jobs.view(job, request.origin, { race: true, outputUrl: (assetId) => context.contentUrl(assetId, request.origin) }));
};

/** `GET /api/v2/jobs/{id}/workflow`: the graph as submitted, `format: 'api'`. */
export const getJobWorkflow: V2Handler = (request, context) => {
  const { id, job } = jobOf(request, context);
  return job ? v2Json({ workflow: job.workflow, format: 'api' }) : notFound(id);
};

/**
 * `POST /api/v2/jobs/{id}/cancel`: idempotent on a finished job. With `cancel: 'ignored'` (ComfyUI
 * 0.8.0 answers the proxy's forwarded cancel with 405) the answer says `canceling` (running) or
 * `queued` and nothing happens; with `works`, a queued job leaves the queue and a running one is
 * interrupted.
 */
export const cancelJob: V2Handler = (request, context) => {
  const { id, job } = jobOf(request, context);
  if (!job) return notFound(id);
  const { status } = context.jobs.status(job);
  const url = (assetId: string) => context.contentUrl(assetId, request.origin);
  if (status !== 'running' && status !== 'queued') return v2Json(context.jobs.view(job, request.origin, { outputUrl: url }));
  if (context.quirks().cancel === 'works') {
    const native = context.native;
    if (status === 'queued' && native.queue.deletePending([id]).length > 0) {
      job.canceledWhilePending = true;
      native.worker.broadcastStatus();
      native.events.emit('queue-deleted', { promptIds: [id] });
    } else if (status === 'running') native.events.emit('interrupt', { promptId: id, hit: native.worker.interrupt(id) });
  }
  const after = context.jobs.status(job).status;
  return v2Json(context.jobs.view(job, request.origin, { override: after === 'running' ? 'canceling' : after, outputUrl: url }));
};

/**
 * `GET /api/v2/jobs/{id}/events`: the job's event stream (see `FakeEventStream`): its current
 * status first (a finished job: that status, then the end), then live events. Over `maxStreams`
 * open streams: 429 with `Retry-After`.
 */
export const jobEvents: V2Handler = (request, context) => {
  const { id, job } = jobOf(request, context);
  if (!job) return notFound(id);
  return {
    status: 200,
    takeover: (_req, res) => {
      const quirks = context.quirks();
      const stream = context.openStream(job, res);
      if (!stream) {
        const body = JSON.stringify({ error: { code: 'too_many_streams', message: `At most ${quirks.maxStreams} event streams at once.`, details: null } });
        res.writeHead(429, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(quirks.streamRetryAfterS), 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      const { status, queuePosition } = context.jobs.status(job);
      if (status === 'queued') stream.send('status', { status, queue_position: queuePosition });
      else if (status === 'running') {
        stream.send('status', { status });
        stream.send('progress', { value: 0, nodes_done: 0, nodes_total: 0 });
      } else stream.finish({ status });
    },
  };
};
