import type { Observable } from 'rxjs';

/** What {@link lastValueUntilAborted} rejects with. */
export interface LastValueErrors {
  /** The rejection once the signal aborts (the source is unsubscribed first). */
  readonly aborted: () => unknown;
  /** The rejection when the source completes without a value. */
  readonly empty: () => unknown;
}

/**
 * The last value of `source` as a promise (like RxJS's `lastValueFrom`) that also honours an
 * AbortSignal: aborting unsubscribes from the source (so its teardown runs: a prompt is cancelled
 * on its server) and rejects with `errors.aborted()`. A signal aborted already rejects without
 * subscribing. The source's error rejects as it is.
 * @example lastValueUntilAborted(comfy.run(workflow).pipe(filter(isDone)), signal, { aborted: () => signal.reason, empty: () => new Error('no done') })
 */
export function lastValueUntilAborted<T>(source: Observable<T>, signal: AbortSignal | undefined, errors: LastValueErrors): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(errors.aborted());
      return;
    }
    let last: { value: T } | undefined;
    const onAbort = (): void => {
      subscription.unsubscribe();
      reject(errors.aborted());
    };
    const subscription = source.subscribe({
      next: (value) => (last = { value }),
      error: (err: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      },
      complete: () => {
        signal?.removeEventListener('abort', onAbort);
        if (last) resolve(last.value);
        else reject(errors.empty());
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
