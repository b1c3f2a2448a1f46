import { Observable } from 'rxjs';

/**
 * An Observable of one async job: subscribing starts `work`, which gets an AbortSignal that is
 * aborted when the subscriber leaves before the job settled.
 * ```text
 * work resolves v after 5ms:   -----(v|)
 * unsubscribed at 2ms:         --!          (signal aborted at 2ms)
 * ```
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
