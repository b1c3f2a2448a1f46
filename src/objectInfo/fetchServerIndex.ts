import { type Observable, catchError, forkJoin, map, of, switchMap } from 'rxjs';
import type { ComfyHttp } from '../transport/http';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import type { ServerTraits } from '../workflow/server/serverTraits';

/** The calls {@link fetchServerIndex} makes. */
export type ServerIndexHttp = Pick<ComfyHttp, 'objectInfoRaw' | 'systemStats' | 'features' | 'nodeReplacements'>;

/**
 * A server's `/object_info` with what it tells about itself, for the client's cache: its version
 * (`/system_stats`), its flags (`/features`) and, when the flags announce them, its node
 * replacements (`/node_replacements`), fetched side by side. Validation then answers as that
 * server and conversion applies its replacements. A server that cannot tell (an old one, a proxy
 * that hides those routes) is taken for ComfyUI 0.8.0; only `/object_info` failing fails.
 * ```text
 * object_info: --o|
 * traits:      -t|          t = { version, features, nodeReplacements? }
 * result:      --i|         i = ObjectInfoIndex.from(o, t)
 * ```
 * @example new ObjectInfoCache(() => fetchServerIndex(client.http))
 */
export function fetchServerIndex(http: ServerIndexHttp): Observable<ObjectInfoIndex> {
  const version$ = http.systemStats().pipe(
    map((stats) => stats.system.comfyui_version ?? null),
    catchError(() => of(null)),
  );
  const features$ = http.features().pipe(catchError(() => of(undefined)));
  const traits$ = forkJoin({ version: version$, features: features$ }).pipe(
    switchMap(({ version, features }): Observable<ServerTraits> => {
      const known: ServerTraits = { version, ...(features ? { features } : {}) };
      if (features?.node_replacements !== true) return of(known);
      return http.nodeReplacements().pipe(
        map((nodeReplacements): ServerTraits => ({ ...known, nodeReplacements })),
        catchError(() => of(known)),
      );
    }),
  );
  return forkJoin([http.objectInfoRaw(), traits$]).pipe(map(([raw, traits]) => ObjectInfoIndex.from(raw, traits)));
}
