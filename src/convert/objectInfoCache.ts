import { type Observable, catchError, defer, map, shareReplay, tap, throwError } from 'rxjs';
import { ObjectInfoIndex } from '../workflow/objectInfoIndex';

/**
 * One server's `/object_info`, fetched once and shared by every conversion on a client (concurrent
 * callers wait for the same request). `refresh(stale)` fetches again, once however many callers
 * ask with the same stale index (custom nodes may have been installed since). A failed fetch is
 * not cached: the next caller tries again.
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
