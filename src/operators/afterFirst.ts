import { Observable, type ObservableInput, type OperatorFunction, from } from 'rxjs';

/**
 * Subscribes to the source at once but holds its values until `gate` emits: then emits the gate's
 * first value, the held values in order, and from there on mirrors the source. Used to listen
 * for a prompt's messages before posting it, while still announcing `queued` first.
 * An error of the gate is forwarded; a gate that completes empty completes the result.
 * ```text
 * source: -a-b-----c--|
 * gate:   ----q|
 * result: ----(qab)c--|
 * ```
 * @param gate Emits once when the held values may flow (its value is emitted first).
 * @example inbox$.pipe(afterFirst(postPrompt$)).subscribe(render);
 */
export function afterFirst<T, G>(gate: ObservableInput<G>): OperatorFunction<T, T | G> {
  return (source) =>
    new Observable<T | G>((subscriber) => {
      let held: T[] | null = [];
      let sourceDone = false;
      const sourceSub = source.subscribe({
        next: (value) => (held ? held.push(value) : subscriber.next(value)),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          sourceDone = true;
          if (!held) subscriber.complete();
        },
      });
      let opened = false;
      const gateSub = from(gate).subscribe({
        next: (value) => {
          if (opened) return;
          opened = true;
          const queue = held ?? [];
          held = null;
          subscriber.next(value);
          for (const item of queue) subscriber.next(item);
          if (sourceDone) subscriber.complete();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (!opened) subscriber.complete();
        },
      });
      return () => {
        held = null;
        gateSub.unsubscribe();
        sourceSub.unsubscribe();
      };
    });
}
