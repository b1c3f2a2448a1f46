import { firstValueFrom } from 'rxjs';
import type { ComfyClient } from '../client';
import { ComfyConnectionError, ComfyHttpError } from '../errors';

/**
 * Fails fast when the server cannot be used: one `GET /prompt` before any work, so an unreachable
 * server is reported at once (exit 3) instead of after the socket's reconnect attempts, or after the
 * retries of reads (this one GET is not retried: a refused connection fails in milliseconds).
 * @throws ComfyConnectionError (unreachable, or access refused: 401/403).
 */
export async function checkServer(client: ComfyClient): Promise<void> {
  try {
    await firstValueFrom(client.http.withRetry({ maxAttempts: 0 }).queueInfo());
  } catch (err) {
    if (err instanceof ComfyHttpError && (err.status === 401 || err.status === 403)) {
      throw new ComfyConnectionError(`ComfyUI at ${client.url} refused access (${err.status}): check the credentials in the URL or COMFYUI_URL`, client.url, { status: err.status });
    }
    if (err instanceof ComfyConnectionError) {
      const reason = /^Cannot reach ComfyUI \([^)]*\): (.*)$/s.exec(err.message)?.[1] ?? err.message;
      throw new ComfyConnectionError(`Cannot reach ComfyUI at ${client.url}: ${reason}`, client.url, err.details, { cause: err });
    }
    throw err;
  }
}
