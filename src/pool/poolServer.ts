import { type Observable, type SchedulerLike, Subscription, concatMap, map } from 'rxjs';
import type { Logger } from '../log';
import { type BackoffPolicy, backoffDelay } from '../operators/reconnectWithBackoff';
import { ObjectInfoCache } from '../objectInfo/objectInfoCache';
import type { ObjectInfoIndex } from '../workflow/objectInfoIndex';
import type { PoolClient } from './poolClient';
import type { PoolServerView } from './strategy';

/**
 * Where a server of the pool stands.
 * - `unchecked`: not looked at yet (the pool was never active, or went idle while checking).
 * - `checking`: its `/object_info` (first time) or health probe is on the way.
 * - `up`: takes prompts; its status messages are watched.
 * - `down`: failed; probed again after a backoff delay.
 * - `dead`: failed every probe of the policy; probed again only when the pool becomes active anew.
 */
export type ServerHealth = 'unchecked' | 'checking' | 'up' | 'down' | 'dead';

/** What a {@link PoolServer} needs from its pool. */
export interface PoolServerEnv {
  readonly scheduler: SchedulerLike;
  /** Delays between health probes of a failed server. */
  readonly health: BackoffPolicy;
  readonly random: () => number;
  readonly logger: Logger;
  /** Called after every change that may let prompts be placed (or prove they never can). */
  readonly onChange: () => void;
}

/**
 * One server of a pool: its health, node classes, and load. Work (checks, probes, the status watch)
 * happens only between `start()` and `stop()`, i.e. while the pool is active.
 */
export class PoolServer<C extends PoolClient = PoolClient> {
  health: ServerHealth = 'unchecked';
  /** Node classes from `/object_info` (fetched once, refreshed when the server comes back). */
  classTypes: ReadonlySet<string> | undefined;
  /** Last `queue_remaining` the server reported. */
  queueRemaining = 0;
  /** Prompts placed here by the pool and not settled. */
  inFlight = 0;
  /** Of those, the ones the server accepted (`queued`): it counts them in `queueRemaining`. */
  accepted = 0;
  /** The server's `/object_info`: its client's own cache when it has one (shared with conversion and validation). */
  readonly objectInfo: ObjectInfoCache;
  /** The index `classTypes` came from (what a probe refreshes). */
  private known: ObjectInfoIndex | undefined;
  /** Failed probes in a row. */
  private failures = 0;
  /** The current check, probe timer, or status watch. */
  private activity = new Subscription();
  private readonly log: Logger;

  constructor(
    readonly name: string,
    readonly index: number,
    readonly client: C,
    readonly maxConcurrent: number,
    private readonly env: PoolServerEnv,
  ) {
    this.log = env.logger.child({ server: name });
    this.objectInfo = client.objectInfo ?? new ObjectInfoCache(() => client.http.objectInfo());
  }

  /** The pool became active: check the server (again), or watch it if it is up. */
  start(): void {
    if (this.health === 'up') this.watch();
    else if (this.health !== 'checking') {
      this.failures = 0;
      this.check(this.classTypes === undefined ? 'first' : 'probe');
    }
  }

  /** The pool went idle (or closed): stop all work. A check cut short is redone at the next start. */
  stop(): void {
    this.activity.unsubscribe();
    if (this.health === 'checking') this.health = 'unchecked';
  }

  /** A prompt failed here because of the server: take it out and probe it later. No-op unless up. */
  fail(error: unknown): void {
    if (this.health !== 'up') return;
    this.log.warn({ err: error }, 'server failed; taken out of the pool');
    this.health = 'down';
    this.failures = 0;
    this.scheduleProbe();
    this.env.onChange();
  }

  /** Up, with a free slot, and every class in `needs`. */
  canTake(needs: readonly string[]): boolean {
    return this.health === 'up' && this.inFlight < this.maxConcurrent && this.has(needs);
  }

  /** Could take the prompt some day: not dead, and its classes (if known) cover `needs`. */
  mayTake(needs: readonly string[]): boolean {
    return this.health !== 'dead' && (this.classTypes === undefined || this.has(needs));
  }

  /** Classes of `needs` this server is known not to have. */
  missing(needs: readonly string[]): string[] {
    if (this.anyClass) return [];
    const known = this.classTypes;
    return known ? needs.filter((classType) => !known.has(classType)) : [];
  }

  view(): PoolServerView {
    return {
      name: this.name,
      url: this.client.url,
      index: this.index,
      inFlight: this.inFlight,
      queueRemaining: this.queueRemaining,
      maxConcurrent: this.maxConcurrent,
      load: this.inFlight + Math.max(0, this.queueRemaining - this.accepted),
    };
  }

  private has(needs: readonly string[]): boolean {
    if (this.anyClass) return true;
    const known = this.classTypes;
    return known !== undefined && needs.every((classType) => known.has(classType));
  }

  /** A Comfy API v2 server: no `/object_info` to read, every node class taken to be there (its answer to the job tells). */
  private anyClass = false;

  /** The server speaks the Comfy API v2 (known once it was checked). */
  get v2(): boolean {
    return this.anyClass;
  }

  /** Replaces the current activity; work started on the returned slot ends with the next `begin`. */
  private begin(): Subscription {
    this.activity.unsubscribe();
    this.activity = new Subscription();
    return this.activity;
  }

  /** `first`: `/object_info` (the client's, when already fetched) proves the server answers. `probe`: `/system_stats`, then `/object_info` again. */
  private check(kind: 'first' | 'probe'): void {
    this.health = 'checking';
    const known = this.known;
    const native$: Observable<ObjectInfoIndex> =
      kind === 'first' ? this.objectInfo.index() : this.client.http.systemStats().pipe(concatMap(() => (known ? this.objectInfo.refresh(known) : this.objectInfo.index())));
    const { resolveApi, ping } = this.client;
    const info$: Observable<ObjectInfoIndex | 'v2'> =
      resolveApi && ping ? resolveApi.call(this.client).pipe(concatMap((api) => (api === 'v2' ? ping.call(this.client).pipe(map(() => 'v2' as const)) : native$))) : native$;
    const slot = this.begin();
    slot.add(
      info$.subscribe({
        next: (index) => {
          this.anyClass = index === 'v2';
          if (index !== 'v2') {
            this.known = index;
            this.classTypes = new Set(index.classTypes());
          }
          this.failures = 0;
          this.health = 'up';
          this.log.info({ classTypes: this.anyClass ? 'any (Comfy API v2)' : this.classTypes?.size, kind }, 'server up');
          this.watch();
          this.env.onChange();
        },
        error: (err: unknown) => {
          this.log.warn({ err, kind }, 'server check failed');
          this.health = 'down';
          this.scheduleProbe();
          this.env.onChange();
        },
      }),
    );
  }

  private scheduleProbe(): void {
    this.failures++;
    if (this.failures > this.env.health.maxAttempts) {
      this.log.error({ probes: this.failures - 1 }, 'server failed every health probe; out until the pool is active again');
      this.begin();
      this.health = 'dead';
      return;
    }
    const delayMs = backoffDelay(this.failures, this.env.health, this.env.random);
    this.log.info({ attempt: this.failures, delayMs }, 'health probe scheduled');
    this.begin().add(this.env.scheduler.schedule(() => this.check('probe'), delayMs));
  }

  private watch(): void {
    this.begin().add(
      this.client.queueRemaining$.subscribe({
        next: (remaining) => {
          this.queueRemaining = remaining;
        },
        error: (err: unknown) => this.fail(err),
      }),
    );
  }
}
