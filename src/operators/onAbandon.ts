import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/** Configuration of {@link onAbandon}. */
export interface OnAbandonConfig<T> {
  /** Recognises the value after which leaving is no longer abandoning. */
  readonly reached: (value: T) => boolean;
  /** Runs at teardown when it was not reached. */
  readonly action: () => void;
}

/**
 * Mirrors the source, and calls `action` once if the subscription ends (unsubscribed, errored or
 * completed) before a value passed `reached`. Used to cancel a prompt on the server when its
 * follower leaves before the prompt's end, and only then.
 * ```text
 * source: -a-b-e-c-|    e reached: no action
 * source: -a-b-#        errored before: action at 6
 * unsub:  ---!          left before: action at 3
 * ```
 * @param config The value to reach and the action.
 * @example signals$.pipe(onAbandon({ reached: (signal) => signal.type === 'end', action: () => submission.cancel() }))
 */
export function onAbandon<T>(config: OnAbandonConfig<T>): MonoTypeOperatorFunction<T> {
  const { reached, action } = config;
  return (source) =>
    new Observable<T>((subscriber) => {
      let done = false;
      const subscription = source.subscribe({
        next: (value) => {
          if (!done && reached(value)) done = true;
          subscriber.next(value);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        if (!done) action();
      };
    });
}
