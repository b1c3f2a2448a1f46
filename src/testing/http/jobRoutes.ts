import type { HistoryEntry, QueueItem } from '../../protocol';
import { parsePythonJson } from '../../protocol/pythonJson';
import { isCanonicalUuid } from '../../util/isCanonicalUuid';
import { pyRepr } from '../../workflow/validate/python';
import { isJsonObject, jsonReply } from './reply';
import type { Handler, RouteContext } from './routeContext';

/** Keeps keys whose value is not null/undefined (`prune_dict`). */
function pruned(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined));
}

function metadata(extraData: unknown): { create_time?: unknown; workflow_id?: unknown } {
  if (!isJsonObject(extraData)) return {};
  const pnginfo = isJsonObject(extraData.extra_pnginfo) ? extraData.extra_pnginfo : {};
  const workflow = isJsonObject(pnginfo.workflow) ? pnginfo.workflow : {};
  return { create_time: extraData.create_time, workflow_id: workflow.id };
}

function queuedJob(item: QueueItem, status: 'pending' | 'in_progress'): Record<string, unknown> {
  const [priority, id, , extraData] = item;
  return pruned({ id, status, priority, ...metadata(extraData), outputs_count: 0 });
}

/** The first previewable output (`type: output` first), and the number of output items. */
function outputsSummary(outputs: HistoryEntry['outputs']): { count: number; preview?: Record<string, unknown> } {
  let count = 0;
  let preview: Record<string, unknown> | undefined;
  let fallback: Record<string, unknown> | undefined;
  for (const [nodeId, nodeOutputs] of Object.entries(outputs)) {
    for (const [mediaType, items] of Object.entries(nodeOutputs)) {
      if (mediaType === 'animated' || !Array.isArray(items)) continue;
      for (const item of items) {
        if (!isJsonObject(item)) continue;
        count++;
        if (preview || !['images', 'video', 'audio'].includes(mediaType)) continue;
        const enriched = { ...item, nodeId, mediaType };
        if (item.type === 'output') preview = enriched;
        else fallback ??= enriched;
      }
    }
  }
  return { count, preview: preview ?? fallback };
}

function historyJob(promptId: string, entry: HistoryEntry): Record<string, unknown> {
  const [priority, , prompt, extraData] = entry.prompt as [unknown, unknown, unknown, unknown];
  const messages = entry.status?.messages ?? [];
  const events = new Map(messages.map(([event, data]) => [event, isJsonObject(data) ? data : {}]));
  const end = events.get('execution_success') ?? events.get('execution_error') ?? events.get('execution_interrupted');
  const failed = entry.status?.status_str === 'error';
  const status = !failed ? 'completed' : events.has('execution_interrupted') ? 'cancelled' : 'failed';
  const { count, preview } = outputsSummary(entry.outputs);
  return {
    ...pruned({
      id: promptId,
      status,
      priority,
      ...metadata(extraData),
      execution_start_time: events.get('execution_start')?.timestamp,
      execution_end_time: end?.timestamp,
      execution_error: events.get('execution_error'),
      outputs_count: count,
      preview_output: preview,
    }),
    outputs: entry.outputs,
    execution_status: entry.status ?? {},
    workflow: { prompt, extra_data: extraData },
  };
}

/** ComfyUI 0.8.0's `get_job`: history first, then running, then pending; `undefined` when unknown. */
export function findJob(promptId: string, context: RouteContext): Record<string, unknown> | undefined {
  const entry = context.history.get(promptId);
  if (entry) return historyJob(promptId, entry);
  const queue = context.queue.snapshot();
  const running = queue.queue_running.find((item) => item[1] === promptId);
  if (running) return queuedJob(running, 'in_progress');
  const pending = queue.queue_pending.find((item) => item[1] === promptId);
  return pending ? queuedJob(pending, 'pending') : undefined;
}

/** `GET /api/jobs/{id}` (docs/protocol.md §6.14): the job, or 404 `{"error": "Job not found"}`. */
export const getJob: Handler = (request, context) => {
  const promptId = decodeURIComponent(request.path.slice('/jobs/'.length));
  const job = findJob(promptId, context);
  return job ? jsonReply(job) : jsonReply({ error: 'Job not found' }, 404);
};

/** A newer server's `_cancel_job_by_id`: interrupt if running (atomically), dequeue if pending; finished or unknown: false. */
function cancelJobById(promptId: string, context: RouteContext): boolean {
  const queue = context.queue.snapshot();
  if (queue.queue_running.some((item) => item[1] === promptId)) return interruptRunning(promptId, context);
  if (queue.queue_pending.some((item) => item[1] === promptId)) {
    if (context.queue.deletePending([promptId]).length > 0) {
      context.worker.broadcastStatus();
      context.events.emit('queue-deleted', { promptIds: [promptId] });
      return true;
    }
    return interruptRunning(promptId, context);
  }
  return false;
}

function interruptRunning(promptId: string, context: RouteContext): boolean {
  const hit = context.worker.interrupt(promptId);
  context.events.emit('interrupt', { promptId, hit });
  return hit;
}

/** `POST /api/jobs/{id}/cancel` (newer servers): `{"cancelled": bool}`, 200 for finished and unknown ids too. */
export const postCancelJob: Handler = (request, context) => {
  const promptId = decodeURIComponent(request.path.slice('/jobs/'.length, -'/cancel'.length));
  return jsonReply({ cancelled: cancelJobById(promptId, context) });
};

/** `POST /api/jobs/cancel {"job_ids": [...]}` (newer servers): every id checked first, then each cancelled. */
export const postCancelJobs: Handler = async (request, context) => {
  let body: unknown;
  try {
    body = parsePythonJson((await request.body()).toString('utf8'));
  } catch {
    return jsonReply({ error: 'Request body must be valid JSON' }, 400);
  }
  const ids = isJsonObject(body) ? body.job_ids : undefined;
  if (!Array.isArray(ids)) return jsonReply({ error: 'job_ids must be a list' }, 400);
  const invalid = ids.filter((id) => !isCanonicalUuid(id)).map((id) => (typeof id === 'string' ? id : pyRepr(id)));
  if (invalid.length > 0) return jsonReply({ error: 'job_ids contains invalid id(s)', invalid_ids: invalid }, 400);
  let cancelled = false;
  for (const id of ids as string[]) if (cancelJobById(id, context)) cancelled = true;
  return jsonReply({ cancelled });
};
