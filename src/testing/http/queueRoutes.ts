import { stringifyPythonJson } from '../../protocol/pythonJson';
import { emptyReply, InternalServerError, isJsonObject, jsonReply, rawJsonReply, readJson, type FakeRequest } from './reply';
import type { Handler } from './routeContext';

/** The JSON object body these handlers index (anything else is aiohttp's 500). */
async function objectBody(request: FakeRequest): Promise<Record<string, unknown>> {
  const json = await readJson(request);
  if (!isJsonObject(json)) throw new InternalServerError();
  return json;
}

function idList(value: unknown): string[] {
  if (!Array.isArray(value)) throw new InternalServerError();
  return value.map(String);
}

/** `GET /queue`: running item and pending heap (unsorted), as 5-tuples; foreign items (`serveForeignPrompt`) in Python's JSON. */
export const getQueue: Handler = (_request, context) => {
  const snapshot = context.queue.snapshot();
  const foreign = context.faults.foreignPending;
  if (foreign.length === 0) return jsonReply(snapshot);
  return rawJsonReply(stringifyPythonJson({ ...snapshot, queue_pending: [...snapshot.queue_pending, ...foreign] }));
};

/** `POST /queue {clear?, delete?}`: pending items only; `status` broadcast when something went. */
export const postQueue: Handler = async (request, context) => {
  const body = await objectBody(request);
  const removed: string[] = [];
  if ('clear' in body && body.clear) {
    removed.push(...context.queue.clearPending());
    context.worker.broadcastStatus(); // wipe_queue always announces
  }
  if ('delete' in body) {
    for (const id of idList(body.delete)) {
      const gone = context.queue.deletePending([id]);
      if (gone.length > 0) {
        removed.push(...gone);
        context.worker.broadcastStatus();
      }
    }
  }
  if (removed.length > 0) context.events.emit('queue-deleted', { promptIds: removed });
  return emptyReply();
};

/** `POST /interrupt [prompt_id]`: global, or only if that prompt runs. Always 200, empty. */
export const postInterrupt: Handler = async (request, context) => {
  let body: unknown = {};
  try {
    body = JSON.parse((await request.body()).toString('utf8'));
  } catch {
    body = {};
  }
  const promptId = isJsonObject(body) && body.prompt_id ? String(body.prompt_id) : undefined;
  const hit = context.worker.interrupt(promptId);
  context.events.emit('interrupt', promptId === undefined ? { hit } : { promptId, hit });
  return emptyReply();
};

function queryInt(request: FakeRequest, key: string): number | undefined {
  const raw = request.query.get(key);
  if (raw === null) return undefined;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new InternalServerError(); // Python int() -> ValueError -> 500
  return Number.parseInt(raw, 10);
}

/** `GET /history?max_items&offset` */
export const getHistory: Handler = (request, context) => jsonReply(context.history.list(queryInt(request, 'max_items'), queryInt(request, 'offset') ?? -1));

/** `GET /history/{prompt_id}`: `{}` until the prompt is done. */
export const getHistoryEntry: Handler = (request, context) => {
  const promptId = decodeURIComponent(request.path.slice('/history/'.length));
  const entry = context.history.get(promptId);
  return jsonReply(entry ? { [promptId]: entry } : {});
};

/** `POST /history {clear?, delete?}` */
export const postHistory: Handler = async (request, context) => {
  const body = await objectBody(request);
  if ('clear' in body && body.clear) context.history.clear();
  if ('delete' in body) for (const id of idList(body.delete)) context.history.delete(id);
  return emptyReply();
};

/** `POST /free {unload_models?, free_memory?}`: `free_memory` clears the cache (after the running prompt). */
export const postFree: Handler = async (request, context) => {
  const body = await objectBody(request);
  if (body.free_memory) context.worker.freeMemory();
  return emptyReply();
};
