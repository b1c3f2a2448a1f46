import { Subject, firstValueFrom, of, throwError } from 'rxjs';
import { ObjectInfoCache } from './objectInfoCache';

const info = (name: string) => ({ [name]: { name, input: {}, output: [] } });

describe('ObjectInfoCache', () => {
  it('callers waiting at once share one fetch; later callers get the cached index', async () => {
    const answers: Subject<unknown>[] = [];
    const cache = new ObjectInfoCache(() => {
      const answer = new Subject<unknown>();
      answers.push(answer);
      return answer;
    });
    const first = firstValueFrom(cache.index());
    const second = firstValueFrom(cache.index());
    expect(answers).toHaveLength(1);
    answers[0]!.next(info('A'));
    answers[0]!.complete();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(await firstValueFrom(cache.index())).toBe(a);
    expect(answers).toHaveLength(1);
  });

  it('refresh(stale) fetches once however many callers hold the same stale index', async () => {
    let fetches = 0;
    const cache = new ObjectInfoCache(() => {
      fetches++;
      return of(info(`V${fetches}`));
    });
    const stale = await firstValueFrom(cache.index());
    const [x, y] = await Promise.all([firstValueFrom(cache.refresh(stale)), firstValueFrom(cache.refresh(stale))]);
    expect(fetches).toBe(2);
    expect(x).toBe(y);
    expect(x.has('V2')).toBe(true);
    expect(await firstValueFrom(cache.refresh(stale))).toBe(x);
    expect(fetches).toBe(2);
  });

  it('a failed fetch is not cached: the next caller fetches again', async () => {
    let fetches = 0;
    const cache = new ObjectInfoCache(() => (++fetches === 1 ? throwError(() => new Error('down')) : of(info('B'))));
    await expect(firstValueFrom(cache.index())).rejects.toThrow('down');
    expect((await firstValueFrom(cache.index())).has('B')).toBe(true);
    expect(fetches).toBe(2);
  });
});
