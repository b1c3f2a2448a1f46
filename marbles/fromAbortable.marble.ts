import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { fromAbortable } from '../src/operators/fromAbortable';

// A factory over Promises: virtual time cannot drive them ("no Promises in marble tests"), so these
// wait for the real settlement; no timer is involved.
describe('fromAbortable', () => {
  it('emits the resolved value and completes', async () => {
    const values = await lastValueFrom(fromAbortable(async () => 42).pipe(toArray()));
    expect(values).toEqual([42]);
  });

  it('errors with the rejection', async () => {
    const boom = new Error('boom');
    await expect(firstValueFrom(fromAbortable(() => Promise.reject(boom)))).rejects.toBe(boom);
  });

  it('starts the job once per subscription, each with its own signal', () => {
    const signals: AbortSignal[] = [];
    const job$ = fromAbortable((signal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    });
    const first = job$.subscribe();
    job$.subscribe();
    first.unsubscribe();
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
  });

  it('aborts the signal when unsubscribed before the job settled, and emits nothing after', async () => {
    let resolve: (value: number) => void = () => undefined;
    let signal: AbortSignal | undefined;
    const values: number[] = [];
    const subscription = fromAbortable((s) => {
      signal = s;
      return new Promise<number>((r) => (resolve = r));
    }).subscribe((value) => values.push(value));
    subscription.unsubscribe();
    expect(signal?.aborted).toBe(true);
    resolve(1);
    await Promise.resolve();
    expect(values).toEqual([]);
  });
});
