import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Mirrors the source, and calls `action` once if the subscription ends (unsubscribed, errored or
 * completed) before a value passed `reached`. Used to cancel a prompt on the server when its
 * follower leaves before the prompt's end, and only then.
 * ```text
 * source: -a-b-e-c-|    e reached: no action
 * source: -a-b-#        errored before: action at 6
 * unsub:  ---!          left before: action at 3
 * ```
 * @param reached Recognises the value after which leaving is no longer abandoning.
 * @param action Runs at teardown when it was not reached.
 * @example signals$.pipe(onAbandon((signal) => signal.type === 'end', () => submission.cancel()))
 */
export function onAbandon<T>(reached: (value: T) => boolean, action: () => void): MonoTypeOperatorFunction<T> {
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
