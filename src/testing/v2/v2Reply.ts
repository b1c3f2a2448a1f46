import type { Reply } from '../http/reply';

/** A v2 error answer: the shared envelope `{"error": {"code", "message", "details"}}`. */
export function v2Error(status: number, code: string, message: string, details: Record<string, unknown> | null = null, headers: Record<string, string> = {}): Reply {
  return v2Json({ error: { code, message, details } }, status, headers);
}

/** A v2 JSON answer (aiohttp's `json_response`: `application/json; charset=utf-8`). */
export function v2Json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}
