import { type Observable, catchError, defer, map, of, shareReplay, switchMap, tap, throwError } from 'rxjs';
import { ComfyMissingNodeTypesError } from '../errors';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';

/**
 * One server's `/object_info`, owned by its client and shared by everything that reads it
 * (conversion of UI workflows, offline validation, the pool's batches over UI templates):
 * fetched once (concurrent callers wait for the same request). `refresh(stale)` fetches again,
 * once however many callers ask with the same stale index (custom nodes may have been installed
 * since). A failed fetch is not cached: the next caller tries again. {@link using} is the one
 * refresh policy: "a class is missing, so ask the server once more before believing it".
 * @example cache.index().subscribe((index) => index.has('KSampler'));
 */
export class ObjectInfoCache {
  private current$?: Observable<ObjectInfoIndex>;
  private latest?: ObjectInfoIndex;
  /** The stale index the current fetch replaces (so that many callers holding it cause one fetch). */
  private replacing?: ObjectInfoIndex;
  private generation = 0;

  constructor(private readonly fetch: () => Observable<unknown>) {}

  /** The index (the cached one, or the one being fetched). */
  index(): Observable<ObjectInfoIndex> {
    return defer(() => (this.current$ ??= this.load()));
  }

  /** A fresh index, unless one newer than `stale` was fetched meanwhile (then that one). */
  refresh(stale: ObjectInfoIndex): Observable<ObjectInfoIndex> {
    return defer(() => {
      const newer = this.latest !== undefined && this.latest !== stale;
      if (newer || this.replacing === stale) return (this.current$ ??= this.load());
      this.replacing = stale;
      return (this.current$ = this.load());
    });
  }

  /**
   * Runs `use` on the cached index and emits its result. When `use` throws
   * `ComfyMissingNodeTypesError` (the index lacks a class: a node pack may have been installed
   * since it was fetched), `/object_info` is fetched again once and `use` runs on the fresh index
   * with `final = true`, where its answer (or error) stands.
   * ```text
   * index:   -i|             refresh: -j|
   * use(i):   throws missing            use(j, final): r
   * result:  --r|
   * ```
   * @example cache.using((index) => toApiPrompt(workflow, index))
   */
  using<T>(use: (index: ObjectInfoIndex, final: boolean) => T): Observable<T> {
    return this.index().pipe(
      switchMap((index) =>
        defer(() => of(use(index, false))).pipe(
          catchError((error: unknown) =>
            error instanceof ComfyMissingNodeTypesError ? this.refresh(index).pipe(map((fresh) => use(fresh, true))) : throwError(() => error),
          ),
        ),
      ),
    );
  }

  private load(): Observable<ObjectInfoIndex> {
    const generation = ++this.generation;
    const loading$: Observable<ObjectInfoIndex> = this.fetch().pipe(
      map((answer) => ObjectInfoIndex.from(answer)),
      tap((index) => {
        if (generation === this.generation) this.latest = index;
      }),
      catchError((error: unknown) => {
        if (this.current$ === loading$) this.current$ = undefined;
        return throwError(() => error);
      }),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return loading$;
  }
}
