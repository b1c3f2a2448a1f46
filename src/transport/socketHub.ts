import {
  Observable,
  Subject,
  type SchedulerLike,
  asyncScheduler,
  defer,
  filter,
  ignoreElements,
  map,
  merge,
  of,
  share,
  tap,
  timer,
} from 'rxjs';
import { isNativeError } from 'node:util/types';
import { ComfyConnectionError } from '../errors';
import type { Logger } from '../log';
import { type BackoffPolicy, type ReconnectNotice, reconnectWithBackoff } from '../operators/reconnectWithBackoff';
import type { ComfyMessage } from '../protocol/messages';
import type { SocketEvent } from './socket';

/** The shared socket's state changes, as every prompt sees them. */
export type ConnectionEvent =
  /** Ready: the server's first `status` arrived. `connection` counts connections made (1 = first). */
  | { readonly kind: 'open'; readonly sid: string; readonly connection: number }
  | ReconnectNotice;

export interface SocketHubOptions {
  /** Opens one connection (cold). */
  connect: () => Observable<SocketEvent>;
  /** Called once per message, before anything else sees it (the per-prompt split). */
  dispatch: (message: ComfyMessage) => void;
  reconnect: BackoffPolicy;
  /** The socket stays open this long after its last subscriber left. 0: closes at once (asynchronously). */
  lingerMs: number;
  /** For error messages (shown without credentials). */
  url: URL;
  logger: Logger;
  scheduler?: SchedulerLike;
  random?: () => number;
}

/**
 * The ONE shared, reference-counted WebSocket of a client. It connects when the first subscriber
 * arrives, reconnects with bounded backoff (same clientId) while anyone is subscribed, and closes
 * `lingerMs` after the last one leaves. Messages are handed to `dispatch` once each, in a single
 * place, so the per-prompt split costs O(1) per message; the fan-out to subscribers carries only
 * connection events.
 */
export class SocketHub {
  /** Connection events; subscribing holds the socket. Emits `open` at once when already open. */
  readonly connection$: Observable<ConnectionEvent>;
  /** Every message of the socket; subscribing holds the socket. */
  readonly messages$: Observable<ComfyMessage>;
  private current: Extract<ConnectionEvent, { kind: 'open' }> | undefined;
  /** A connection (open, opening or reconnecting) exists: only then is there anything to linger for. */
  private live = false;
  private connections = 0;
  private readonly all = new Subject<ComfyMessage>();
  /** Errors once, on {@link close}: ends the shared stream for every subscriber, for good. */
  private readonly closing = new Subject<never>();
  private closedError: ComfyConnectionError | undefined;

  constructor(options: SocketHubOptions) {
    const { connect, dispatch, reconnect, lingerMs, url, scheduler = asyncScheduler, random = Math.random } = options;
    const log = options.logger.child({ component: 'hub' });
    const shared$ = defer(() => {
      this.live = true;
      return connect();
    }).pipe(
      reconnectWithBackoff<SocketEvent>({
        policy: reconnect,
        isReady: (event) => event.kind === 'open',
        giveUp: (error, attempts) =>
          new ComfyConnectionError(
            `ComfyUI socket could not be re-established after ${attempts} attempts: ${isNativeError(error) ? error.message : String(error)}`,
            url,
            { attempts },
            { cause: error },
          ),
        scheduler,
        random,
      }),
      tap({
        next: (event) => {
          if (event.kind === 'message') {
            dispatch(event.message);
            this.all.next(event.message);
          } else if (event.kind === 'open') {
            this.connections++;
            log.info({ connection: this.connections }, 'socket open');
          } else {
            this.current = undefined;
            log.warn({ err: event.error, attempt: event.attempt, delayMs: event.delayMs }, 'socket lost, reconnecting');
          }
        },
        error: (err: unknown) => {
          this.live = false; // before the error reaches share(): no linger after it
          log.error({ err }, 'socket gave up');
        },
        finalize: () => {
          this.live = false;
          this.current = undefined;
        },
      }),
      filter((event): event is Exclude<SocketEvent, { kind: 'message' }> | ReconnectNotice => event.kind !== 'message'),
      map((event): ConnectionEvent => (event.kind === 'open' ? { kind: 'open', sid: event.sid, connection: this.connections } : event)),
      tap((event) => {
        if (event.kind === 'open') this.current = event;
      }),
      (events$) => merge(events$, this.closing),
      // after an error the connection is already gone: no linger timer to keep the process alive
      share({ resetOnRefCountZero: () => (this.live ? timer(lingerMs, scheduler) : of(true)) }),
    );
    // `open` at once when already open, then the shared events (a plain subscription: one per prompt)
    this.connection$ = new Observable<ConnectionEvent>((subscriber) => {
      if (this.closedError) {
        subscriber.error(this.closedError);
        return;
      }
      if (this.current) subscriber.next(this.current);
      if (!subscriber.closed) shared$.subscribe(subscriber);
    });
    this.messages$ = defer(() => merge(this.all, shared$.pipe(ignoreElements())));
  }

  /**
   * Closes the socket now and for good: every subscriber (prompts in flight included, which then
   * cancel themselves on the server) gets `error`, later subscribers too.
   */
  close(reason: ComfyConnectionError): void {
    if (this.closedError) return;
    this.closedError = reason;
    this.live = false;
    this.closing.error(reason);
  }

  /** True while a connection is open and ready. */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** Someone subscribes to {@link messages$} (then every frame must be validated and emitted). */
  get observed(): boolean {
    return this.all.observed;
  }

  /** Connections made so far (reconnects included). */
  get connectionCount(): number {
    return this.connections;
  }
}
