import { type Observable, catchError, map, of, tap } from 'rxjs';
import type { Logger } from '../log';
import { ComfyApiError } from './v2/errors';
import type { V2Http } from './v2/v2Http';

/**
 * Which API a server speaks, for `api: 'auto'`: `v2` when `GET /api/v2/health` answers its JSON
 * (Comfy Cloud, serverless, comfy-api-proxy), `native` for anything else (ComfyUI answers 404, or
 * its frontend's HTML); a v2 error envelope (401 without a key) counts as v2. Asked once, not retried.
 * @example detectApi(v2Http, logger).subscribe((api) => console.log(api)) // 'v2'
 */
export function detectApi(http: Pick<V2Http, 'health'>, logger: Logger): Observable<'native' | 'v2'> {
  return http.health().pipe(
    map(() => 'v2' as const),
    // A v2 error envelope (401 without the key) is a v2 server too; anything else is not.
    catchError((error: unknown) => of(error instanceof ComfyApiError && error.apiCode !== undefined ? ('v2' as const) : ('native' as const))),
    tap((api) => logger.info({ api }, 'server API detected')),
  );
}
