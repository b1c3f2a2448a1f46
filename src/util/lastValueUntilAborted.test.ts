import { NEVER, Observable, Subject, of, throwError } from 'rxjs';
import { lastValueUntilAborted } from './lastValueUntilAborted';

const errors = { aborted: () => new Error('aborted'), empty: () => new Error('empty') };

describe('lastValueUntilAborted', () => {
  it('resolves with the last value once the source completes', async () => {
    await expect(lastValueUntilAborted(of(1, 2, 3), undefined, errors)).resolves.toBe(3);
  });

  it('resolves with a falsy last value too', async () => {
    await expect(lastValueUntilAborted(of(1, 0), undefined, errors)).resolves.toBe(0);
  });

  it('rejects with the empty error when the source completes without a value', async () => {
    await expect(lastValueUntilAborted(of(), undefined, errors)).rejects.toThrow('empty');
  });

  it("rejects with the source's own error", async () => {
    await expect(lastValueUntilAborted(throwError(() => new Error('boom')), undefined, errors)).rejects.toThrow('boom');
  });

  it('aborting unsubscribes from the source and rejects with the aborted error', async () => {
    let tornDown = false;
    const source = new Observable<number>(() => () => (tornDown = true));
    const abort = new AbortController();
    const result = lastValueUntilAborted(source, abort.signal, errors);
    expect(tornDown).toBe(false);
    abort.abort();
    await expect(result).rejects.toThrow('aborted');
    expect(tornDown).toBe(true);
  });

  it('an already aborted signal rejects without subscribing', async () => {
    let subscribed = false;
    const source = new Observable<number>(() => void (subscribed = true));
    await expect(lastValueUntilAborted(source, AbortSignal.abort(), errors)).rejects.toThrow('aborted');
    expect(subscribed).toBe(false);
  });

  it('stops listening to the signal once settled (a later abort changes nothing)', async () => {
    const abort = new AbortController();
    const values = new Subject<number>();
    const result = lastValueUntilAborted(values, abort.signal, errors);
    values.next(7);
    values.complete();
    await expect(result).resolves.toBe(7);
    abort.abort();
    await expect(lastValueUntilAborted(NEVER, abort.signal, errors)).rejects.toThrow('aborted');
  });
});
