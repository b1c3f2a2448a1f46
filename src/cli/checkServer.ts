import { firstValueFrom } from 'rxjs';
import type { ComfyClient } from '../client';
import { ComfyConnectionError, ComfyHttpError } from '../errors';

/**
 * Fails fast when the server cannot be used: one `GET /prompt` (native) or `GET /api/v2/health` (v2) before any work, so an unreachable
 * server is reported at once (exit 3) instead of after the socket's reconnect attempts, or after the
 * retries of reads (this one GET is not retried: a refused connection fails in milliseconds).
 * @throws ComfyConnectionError (unreachable, or access refused: 401/403).
 */
export async function checkServer(client: ComfyClient): Promise<void> {
  try {
    const api = await firstValueFrom(client.resolveApi());
    // the v2 health route is never retried; the native probe turns retries off
    await firstValueFrom(api === 'v2' ? client.ping() : client.http.withRetry({ maxAttempts: 0 }).queueInfo());
  } catch (err) {
    if (err instanceof ComfyHttpError && (err.status === 401 || err.status === 403)) {
      throw new ComfyConnectionError(`The server at ${client.url} refused access (${err.status}): check the credentials in the URL or COMFYUI_URL, or the API key (--api-key, COMFY_API_KEY)`, client.url, { status: err.status });
    }
    if (err instanceof ComfyConnectionError) {
      const reason = /^Cannot reach ComfyUI \([^)]*\): (.*)$/s.exec(err.message)?.[1] ?? err.message;
      throw new ComfyConnectionError(`Cannot reach ComfyUI at ${client.url}: ${reason}`, client.url, err.details, { cause: err });
    }
    throw err;
  }
}
