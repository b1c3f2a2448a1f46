import { Observable } from 'rxjs';

/**
 * An Observable of one async job: each subscription starts `work` with an AbortSignal of its own,
 * emits the value it resolves to and completes, or errors with its rejection. The teardown aborts
 * the signal: leaving before the job settled stops it (a download closes its connection).
 * ```text
 * work:   -----(v|)    resolves v after 5 ms
 * result: -----(v|)
 * unsub:  --!          the signal is aborted at 2 ms
 * ```
 * @param work Starts the job; must honour `signal` (stop and reject once it is aborted).
 * @example fromAbortable((signal) => fetch(url, { signal }).then((r) => r.arrayBuffer()))
 */
export function fromAbortable<T>(work: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const abort = new AbortController();
    work(abort.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => abort.abort();
  });
}
