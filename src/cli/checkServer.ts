import { firstValueFrom, switchMap, take, throwError, timeout } from 'rxjs';
import type { ComfyClient } from '../client';
import { ComfyConnectionError, ComfyHttpError, ComfyProtocolError } from '../errors';

/**
 * Fails fast when the server cannot be used: one `GET /prompt` (native) or `GET /api/v2/health` (v2) before any work, so an unreachable
 * server is reported at once (exit 3) instead of after the socket's reconnect attempts, or after the
 * retries of reads (this one GET is not retried: a refused connection fails in milliseconds). A
 * server that accepts the connection and does not answer within `answerWithinMs` (connect and
 * first byte: the request is aborted then), or answers as no ComfyUI would (a web server's 404, an
 * HTML page), cannot be used either.
 * @throws ComfyConnectionError (unreachable, silent, not ComfyUI, or access refused: 401/403).
 * @example await checkServer(client, 10_000);
 */
export async function checkServer(client: ComfyClient, answerWithinMs: number): Promise<void> {
  const probe$ = client.resolveApi().pipe(
    take(1),
    // the v2 health route is never retried; the native probe is not either, and is aborted when given up on
    switchMap((api) => (api === 'v2' ? client.ping() : client.http.forProbe().queueInfo())),
    take(1),
    timeout({
      first: answerWithinMs,
      with: () => throwError(() => new ComfyConnectionError(`Cannot reach ComfyUI at ${client.url}: no answer within ${answerWithinMs / 1000} s (--connect-timeout)`, client.url)),
    }),
  );
  try {
    await firstValueFrom(probe$);
  } catch (err) {
    if (err instanceof ComfyHttpError && (err.status === 401 || err.status === 403)) {
      throw new ComfyConnectionError(`The server at ${client.url} refused access (${err.status}): check the credentials in the URL or COMFYUI_URL, or the API key (--api-key, COMFY_API_KEY)`, client.url, { status: err.status });
    }
    if (err instanceof ComfyHttpError || err instanceof ComfyProtocolError) {
      const answer = err instanceof ComfyHttpError ? `answered ${err.status}` : `answered what ComfyUI does not (${err.message})`;
      throw new ComfyConnectionError(`The server at ${client.url} is not a ComfyUI server we can use: GET /prompt ${answer}`, client.url, err instanceof ComfyHttpError ? { status: err.status } : {}, { cause: err });
    }
    if (err instanceof ComfyConnectionError) {
      if (err.message.startsWith(`Cannot reach ComfyUI at ${client.url}`)) throw err;
      const reason = /^Cannot reach ComfyUI \([^)]*\): (.*)$/s.exec(err.message)?.[1] ?? err.message;
      throw new ComfyConnectionError(`Cannot reach ComfyUI at ${client.url}: ${reason}`, client.url, err.details, { cause: err });
    }
    throw err;
  }
}
