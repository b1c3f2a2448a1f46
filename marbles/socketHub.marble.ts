import pino from 'pino';
import { NEVER, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ComfyConnectionError } from '../src/errors';
import type { ComfyMessage } from '../src/protocol/messages';
import type { SocketEvent } from '../src/transport/socket';
import { SocketHub } from '../src/transport/socketHub';
import { msg } from './helpers/messages';
import { newTestScheduler } from './helpers/testScheduler';

const silent = pino({ level: 'silent' });
const reconnect = { initialDelayMs: 2, maxDelayMs: 8, maxAttempts: 2, jitter: 0 };
const url = new URL('ws://127.0.0.1:8188/ws?clientId=c');
const open = (connection = 1) => ({ kind: 'open', sid: 'c', connection });

describe('SocketHub (the shared socket)', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = newTestScheduler()));

  it('opens one socket for all subscribers and closes it when the last one leaves (lingerMs = 0)', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket = cold<SocketEvent>('-o----', { o: { kind: 'open', sid: 'c' } });
      const hub = new SocketHub({ connect: () => socket, dispatch: () => undefined, reconnect, lingerMs: 0, url, logger: silent, scheduler: ts });
      expectObservable(hub.connection$, '^--!').toBe('-o-', { o: open() });
      expectObservable(hub.connection$, '-^----!').toBe('-o', { o: open() });
      // first at 0, second at 1 (sees the current `open` at once), last leaves at 6: closed then
      expectSubscriptions(socket.subscriptions).toBe('^-----!');
    });
  });

  it('keeps the socket through a linger window and reuses it for a subscriber that comes back in time', () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const socket = cold<SocketEvent>('-o----', { o: { kind: 'open', sid: 'c' } });
      const hub = new SocketHub({ connect: () => socket, dispatch: () => undefined, reconnect, lingerMs: 5, url, logger: silent, scheduler: ts });
      expectObservable(hub.connection$, '^-!').toBe('-o', { o: open() });
      expectObservable(hub.connection$, '----^-!').toBe('----o', { o: open() });
      // leaves at 2, back at 4 (< 2+5): same socket; leaves at 6, closed at 6+5 = 11
      expectSubscriptions(socket.subscriptions).toBe('^----------!');
    });
  });

  it('hands each message to dispatch once, however many subscribers', () => {
    const seen: ComfyMessage[] = [];
    ts.run(({ cold, expectObservable }) => {
      const values = { o: { kind: 'open', sid: 'c' } as SocketEvent, m: { kind: 'message', message: msg.status(0) } as SocketEvent };
      const hub = new SocketHub({ connect: () => cold('om--', values), dispatch: (m) => seen.push(m), reconnect, lingerMs: 0, url, logger: silent, scheduler: ts });
      expectObservable(hub.messages$, '^---!').toBe('-m', { m: msg.status(0) });
      expectObservable(hub.connection$, '^---!').toBe('o', { o: open() });
      expectObservable(hub.connection$, '^---!').toBe('o', { o: open() });
    });
    expect(seen).toEqual([msg.status(0)]);
  });

  it('reconnects with backoff, announcing it, and counts connections', () => {
    ts.run(({ cold, expectObservable }) => {
      let attempt = 0;
      const first = cold<SocketEvent>('o-#', { o: { kind: 'open', sid: 'c' } }, new Error('dropped'));
      const second = cold<SocketEvent>('-o--', { o: { kind: 'open', sid: 'c' } });
      const hub = new SocketHub({ connect: () => (attempt++ === 0 ? first : second), dispatch: () => undefined, reconnect, lingerMs: 0, url, logger: silent, scheduler: ts });
      expectObservable(hub.connection$, '^------!').toBe('o-r--p', {
        o: open(1),
        r: { kind: 'reconnecting', attempt: 1, delayMs: 2, error: new Error('dropped') },
        p: open(2),
      });
    });
  });

  it('gives up after the bound with a ComfyConnectionError for every subscriber', () => {
    let failure: unknown;
    ts.run(({ cold, expectObservable }) => {
      const refused = cold<SocketEvent>('#', undefined, new Error('ECONNREFUSED'));
      const hub = new SocketHub({ connect: () => refused, dispatch: () => undefined, reconnect, lingerMs: 0, url, logger: silent, scheduler: ts });
      const r = (attempt: number, delayMs: number) => ({ kind: 'reconnecting', attempt, delayMs, error: new Error('ECONNREFUSED') });
      const expectedError = 'ComfyUI socket could not be re-established after 2 attempts: ECONNREFUSED';
      expectObservable(hub.connection$).toBe('a-b---#', { a: r(1, 2), b: r(2, 4) }, new Error(expectedError));
      hub.connection$.subscribe({ error: (e: unknown) => (failure = e) });
    });
    expect(failure).toBeInstanceOf(ComfyConnectionError);
    expect((failure as ComfyConnectionError).details.attempts).toBe(2);
    expect((failure as ComfyConnectionError).url).toBe('ws://127.0.0.1:8188/ws');
  });

  it('leaves no linger timer behind after giving up, or after close()', () => {
    const noRetry = { ...reconnect, maxAttempts: 0 };
    const refusing = new SocketHub({ connect: () => throwError(() => new Error('refused')), dispatch: () => undefined, reconnect: noRetry, lingerMs: 500, url, logger: silent, scheduler: ts });
    const errors: unknown[] = [];
    refusing.connection$.subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(ts.actions).toHaveLength(0);

    const closing = new SocketHub({ connect: () => NEVER, dispatch: () => undefined, reconnect, lingerMs: 500, url, logger: silent, scheduler: ts });
    closing.connection$.subscribe({ error: (e: unknown) => errors.push(e) });
    closing.close(new ComfyConnectionError('closed', url));
    expect(errors).toHaveLength(2);
    expect(ts.actions).toHaveLength(0);
    closing.connection$.subscribe({ error: (e: unknown) => errors.push(e) }); // closed for good
    expect(String(errors[2])).toMatch(/closed/);
  });
});
