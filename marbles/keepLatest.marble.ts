import { NEVER, Subject, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { keepLatest } from '../src/operators/keepLatest';
import { newTestScheduler } from './helpers/testScheduler';

/** Letters p..z are previews of prompt 'x' (capitals: of prompt 'y'); a..o are other events. */
const keyOf = (value: string): string | undefined => (value >= 'p' && value <= 'z' ? 'x' : value >= 'P' && value <= 'Z' ? 'y' : undefined);

describe('keepLatest', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('keeps the newest held value of a burst; other values pass at once', () => {
    ts.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-pq-b-r---|');
      const sourceSubs = '^-----------!';
      const expected = '  -a---qb---r-|';
      expectObservable(source.pipe(keepLatest({ keyOf, windowMs: 2, scheduler: ts }))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it('one held value per key: two prompts keep their own newest', () => {
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('-pPqQ-----|').pipe(keepLatest({ keyOf, windowMs: 3, scheduler: ts }))).toBe('----qQ----|');
    });
  });

  it('windowMs 0: what arrives before the scheduler turns collapses into the newest', () => {
    const seen: string[] = [];
    const source = new Subject<string>();
    source.pipe(keepLatest({ keyOf, windowMs: 0, scheduler: ts })).subscribe((v) => seen.push(v));
    for (const value of ['a', 'p', 'q', 'r', 'b']) source.next(value);
    expect(seen).toEqual(['a', 'b']);
    ts.flush();
    expect(seen).toEqual(['a', 'b', 'r']);
  });

  it('drops what is still held at completion and at error', () => {
    ts.run(({ hot, expectObservable }) => {
      expectObservable(hot('-p|').pipe(keepLatest({ keyOf, windowMs: 5, scheduler: ts }))).toBe('--|');
      expectObservable(hot('-p#').pipe(keepLatest({ keyOf, windowMs: 5, scheduler: ts }))).toBe('--#');
    });
    expect(ts.actions).toHaveLength(0);
  });

  it('cancels its pending flush on unsubscribe', () => {
    const subscription = NEVER.pipe(keepLatest({ keyOf, windowMs: 5, scheduler: ts })).subscribe();
    subscription.unsubscribe();
    const held = of('p').pipe(keepLatest({ keyOf, windowMs: 5, scheduler: ts })).subscribe(); // completes at once: nothing left
    held.unsubscribe();
    expect(ts.actions).toHaveLength(0);
    const source = new Subject<string>();
    const open = source.pipe(keepLatest({ keyOf, windowMs: 5, scheduler: ts })).subscribe();
    source.next('p');
    expect(ts.actions).toHaveLength(1);
    open.unsubscribe();
    expect(ts.actions).toHaveLength(0);
  });

  it('rejects a negative window at call time', () => {
    expect(() => keepLatest({ keyOf, windowMs: -1 })).toThrow(RangeError);
  });
});
