import { EMPTY, Observable, type SchedulerLike, Subject, type Subscriber, Subscription, asyncScheduler, catchError, concat, defer, filter, take, throwError } from 'rxjs';
import { type BatchEvent, type BatchTarget, type GenerateOptions, generate } from '../batch';
import { ComfyClient } from '../client';
import { ComfyMissingNodeTypesError, ComfyOptionsError } from '../errors';
import { type Logger, libLogger } from '../log';
import type { BackoffPolicy } from '../operators/reconnectWithBackoff';
import type { Workflow } from '../protocol/api';
import type { DoneEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';
import { ComfyHttp } from '../transport/http';
import { formatIssues } from '../util/formatIssues';
import { DEFAULT_MAX_CONCURRENT_PER_SERVER, DEFAULT_MAX_RESUBMITS, DEFAULT_POOL_HEALTH, DEFAULT_POOL_RECHECK_DELAY_MS } from './defaults';
import { ComfyPoolClosedError } from './errors';
import type { PoolDoneEvent, PoolEvent, ServerPromptEvent } from './events';
import { Failover } from './failover';
import { leastLoaded } from './leastLoaded';
import { inOrder } from './inOrder';
import { type ComfyPoolOptions, ComfyPoolOptionsSchema } from './options';
import { type Picker, Placement } from './placement';
import type { PoolClient } from './poolClient';
import type { PoolJob } from './poolJob';
import { PoolServer, type ServerHealth } from './poolServer';
import { requiredClassTypes } from '../workflow/requiredClassTypes';
import { roundRobin } from './roundRobin';
import type { PoolServerView } from './strategy';
import type { ToApiPromptResult } from '../workflow/convert/toApiPrompt';

/** One server as `ComfyPool.servers` shows it. */
export interface PoolServerStatus extends PoolServerView {
  readonly health: ServerHealth;
  /** Node classes known from its `/object_info` (undefined until fetched). */
  readonly classTypeCount: number | undefined;
}

/**
 * Several ComfyUI servers behind one `run`: each prompt goes to a server chosen by a strategy
 * (least loaded by default), within a per-server concurrency limit; prompts beyond every server's
 * limit wait in the pool, in arrival order, and are placed as slots free up.
 *
 * - **Capabilities**: each server's `/object_info` is fetched once (again after it comes back from a
 *   failure); a workflow goes only to servers that have all its node classes. When no server can
 *   ever take it, `run` errors with {@link ComfyNoServerError}.
 * - **Health**: a server whose prompt fails with `ComfyConnectionError`, `ComfyPromptLostError` or a
 *   5xx is taken out and probed (`/system_stats`) with `backoffDelay` between probes; after
 *   `health.maxAttempts` failed probes it is out until the pool is next active.
 * - **Failover**: the failed prompt is resubmitted elsewhere (a `dispatched` event with `attempt` > 1),
 *   at most `maxResubmits` times, and never when it may have finished: a lost prompt
 *   (`ComfyPromptLostError`) is resubmitted at once; after a connection failure the failed server's
 *   `/queue` and `/history` are read first: finished there -> its `done` (or its execution error) comes
 *   from that history and it is not run again; still queued or running there -> it is removed or
 *   interrupted there first. **When that server cannot be reached**, the prompt is resubmitted: it
 *   may then run twice if it finished there just before the server became unreachable, but its
 *   outputs could not be downloaded from there anyway. A server that restarts (losing its history)
 *   between finishing a prompt and our reading that history makes the prompt look lost: it runs
 *   again elsewhere.
 * - **Not retried**: execution and validation errors (the workflow's fault), interrupts, timeouts.
 * - **Lifetime**: servers are checked and watched (status messages hold each client's socket) only
 *   while the pool is active: while a `run` or `hold()` is subscribed. `close()` ends everything.
 *
 * ```ts
 * const pool = new ComfyPool({ servers: [{ url: 'http://gpu1:8188' }, { url: 'http://gpu2:8188', maxConcurrent: 1 }] });
 * pool.run(workflow).subscribe((event) => console.log(event.type, 'server' in event ? event.server : ''));
 * ```
 */
export class ComfyPool {
  private readonly members: readonly PoolServer[];
  /** Where prompts wait and go (pump, place, submit, release). */
  private readonly placement: Placement;
  /** What happens when a run fails (checks, resubmissions). */
  private readonly failover: Failover;
  private readonly holds = new Set<Subscriber<never>>();
  /** Fires after every server change (health, classes). */
  private readonly changed = new Subject<void>();
  private readonly scheduler: SchedulerLike;
  private readonly log: Logger;
  private active = 0;
  private closed = false;
  /** Clients this pool made (from URLs): closed with the pool. */
  private readonly ownClients: ComfyClient[] = [];

  constructor(options: ComfyPoolOptions) {
    const parsed = ComfyPoolOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyPool options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const opts = parsed.data;
    this.scheduler = opts.scheduler ?? asyncScheduler;
    this.log = libLogger(opts.logger).child({ component: 'pool' });
    const health: BackoffPolicy = { ...DEFAULT_POOL_HEALTH, ...opts.health };
    const onChange = (): void => {
      this.placement.serverChanged();
      this.changed.next();
    };
    const env = { scheduler: this.scheduler, health, random: opts.random ?? Math.random, logger: this.log, onChange };
    const perServer = opts.maxConcurrentPerServer ?? DEFAULT_MAX_CONCURRENT_PER_SERVER;
    this.members = opts.servers.map((spec, index) => {
      let client: PoolClient;
      if ('client' in spec) client = spec.client;
      else {
        const { name: _name, maxConcurrent: _max, ...clientOptions } = spec;
        const made = new ComfyClient({ scheduler: opts.scheduler, logger: opts.logger, ...opts.clientOptions, ...clientOptions });
        this.ownClients.push(made);
        client = made;
      }
      return new PoolServer(spec.name ?? client.url, index, client, spec.maxConcurrent ?? perServer, env);
    });
    const pick: Picker = opts.strategy === 'round-robin' ? roundRobin() : opts.strategy === 'in-order' ? inOrder : typeof opts.strategy === 'function' ? opts.strategy : leastLoaded;
    this.placement = new Placement(this.members, pick, this.log, (job, server, promptId, err) => this.failover.onRunError(job, server, promptId, err));
    this.failover = new Failover(this.placement, {
      maxResubmits: opts.maxResubmits ?? DEFAULT_MAX_RESUBMITS,
      recheckDelayMs: opts.recheckDelayMs ?? DEFAULT_POOL_RECHECK_DELAY_MS,
      scheduler: this.scheduler,
      log: this.log,
    });
  }

  /** The servers' names, in pool order. */
  get serverNames(): readonly string[] {
    return this.members.map((server) => server.name);
  }

  /** A snapshot of every server: health, load, slots, known classes. */
  get servers(): readonly PoolServerStatus[] {
    return this.members.map((server) => ({ ...server.view(), health: server.health, classTypeCount: server.classTypes?.size }));
  }

  /** Prompts the pool runs at once when every server is up: the sum of their `maxConcurrent`. */
  get capacity(): number {
    return this.members.reduce((sum, server) => sum + server.maxConcurrent, 0);
  }

  /** Prompts waiting in the pool for a slot. */
  get waitingCount(): number {
    return this.placement.waitingCount;
  }

  /**
   * Runs a workflow on one of the servers. Cold: subscribing enters the prompt in the pool (it
   * waits there while no suitable server has a free slot); unsubscribing takes it out, or cancels
   * it on its server like `ComfyClient.run`. Emits `dispatched {server, attempt}` whenever a server
   * is chosen, then that server's {@link PoolEvent}s, each with `server`; completes after `done`.
   * Errors: the prompt's own typed errors (not retried elsewhere), `ComfyNoServerError`, the last
   * server failure after `maxResubmits` resubmissions, `ComfyPoolClosedError`.
   */
  run(workflow: Workflow | Record<string, unknown>, options: RunOptions = {}): Observable<PoolEvent> {
    return new Observable<PoolEvent>((subscriber) => {
      if (this.closed) {
        subscriber.error(new ComfyPoolClosedError());
        return undefined;
      }
      const job: PoolJob = {
        workflow,
        options,
        needs: requiredClassTypes(workflow),
        subscriber,
        startedAt: this.scheduler.now(),
        attempt: 0,
        server: undefined,
        placed: false,
        accepted: false,
        work: new Subscription(),
        resubmittedAfter: undefined,
      };
      this.activate();
      if (!this.members.some((server) => server.mayTake(job.needs))) {
        subscriber.error(this.placement.noServer(job));
        return () => this.deactivate();
      }
      this.placement.enter(job);
      return () => {
        this.placement.drop(job);
        this.deactivate();
      };
    });
  }

  /**
   * Keeps the pool active while subscribed (servers checked, status watched, sockets held), so
   * prompts placed one after another find everything ready. Never emits; completes on `close()`.
   */
  hold(): Observable<never> {
    return new Observable<never>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      this.holds.add(subscriber);
      this.activate();
      return () => {
        this.holds.delete(subscriber);
        this.deactivate();
      };
    });
  }

  /**
   * Activates the pool until every server has been checked (up, or down and being probed), then
   * emits the servers' snapshot and completes. Hold the pool (`connect()`) first to keep it active
   * afterwards. Useful before timing work (benchmarks) or to show which servers answered.
   */
  ready(): Observable<readonly PoolServerStatus[]> {
    return new Observable<readonly PoolServerStatus[]>((subscriber) => {
      if (this.closed) {
        subscriber.error(new ComfyPoolClosedError());
        return undefined;
      }
      const check = (): void => {
        if (subscriber.closed || this.members.some((server) => server.health === 'unchecked' || server.health === 'checking')) return;
        subscriber.next(this.servers);
        subscriber.complete();
      };
      const changes = this.changed.subscribe({ next: check, error: (err: unknown) => subscriber.error(err) });
      this.activate();
      check();
      return () => {
        changes.unsubscribe();
        this.deactivate();
      };
    });
  }

  /** {@link hold} as a Subscription: unsubscribe it to let the pool go idle. */
  connect(): Subscription {
    return this.hold().subscribe();
  }

  /**
   * The REST client of the server a `done` event came from (to download its outputs from there).
   * Throws a `TypeError` for an event that did not come from this pool, or a server whose client is
   * not a `ComfyClient` (a test fake).
   */
  httpFor(done: PoolDoneEvent | DoneEvent): ComfyHttp {
    const name = 'server' in done ? done.server : undefined;
    const server = this.members.find((member) => member.name === name);
    if (!server) throw new TypeError(`No server named '${String(name)}' in this pool (was this done event emitted by it?)`);
    const http = server.client.http;
    if (!(http instanceof ComfyHttp)) throw new TypeError(`Server '${server.name}' has no ComfyHttp (its client is not a ComfyClient)`);
    return http;
  }

  /**
   * The client of the server named `name`, or undefined (a queue worker reattaching to a prompt
   * submitted there earlier asks that server, and only that one).
   */
  clientOf(name: string): PoolClient | undefined {
    return this.members.find((member) => member.name === name)?.client;
  }

  /**
   * This pool as a batch target: `run` leaves out the `dispatched` events (a batch expects plain
   * prompt events; each still carries `server`), `httpFor` finds the server of a `done`, `hold`
   * keeps the pool active for the batch's life.
   */
  asBatchTarget(): BatchTarget {
    return {
      run: (workflow, options) => this.run(workflow, options).pipe(filter((event): event is ServerPromptEvent => event.type !== 'dispatched')),
      httpFor: (done) => this.httpFor(done),
      hold: () => this.hold(),
      toApiPrompt: (workflow) => this.toApiPrompt(workflow),
    };
  }

  /**
   * Converts a UI workflow to an API prompt with the `/object_info` of a server that may take it
   * (the first in the pool's order; the next when that one lacks node types), as batches over a
   * UI template need (`pool.generate`). `run` needs none of this: it converts on the server it picks.
   * Errors: `ComfyMissingNodeTypesError` (of the last server tried), `ComfyOptionsError` when no
   * server's client converts.
   */
  toApiPrompt(workflow: unknown): Observable<ToApiPromptResult> {
    return defer(() => {
      const needs = requiredClassTypes(workflow);
      const converters = this.members.filter((server) => server.mayTake(needs)).flatMap((server) => (server.client.toApiPrompt ? [server.client] : []));
      if (!converters.length) return throwError(() => new ComfyOptionsError('ComfyPool.toApiPrompt: no server of the pool can take this workflow and convert it'));
      const last = converters.length - 1;
      const attempts = converters.map((client, index) =>
        defer(() => client.toApiPrompt!(workflow)).pipe(catchError((error: unknown) => (index < last && error instanceof ComfyMissingNodeTypesError ? EMPTY : throwError(() => error)))),
      );
      return concat(...attempts).pipe(take(1));
    });
  }

  /**
   * `generate` (src/batch) with this pool as its target: each item runs on the server the pool
   * picks, `capacity` items at a time unless `concurrency` says otherwise.
   */
  generate(options: Omit<GenerateOptions, 'target'>): Observable<BatchEvent> {
    return generate({ concurrency: this.capacity, ...options, target: this.asBatchTarget() });
  }

  /**
   * Ends the pool: prompts waiting or running and pending `ready()` calls error with
   * `ComfyPoolClosedError` (running prompts are cancelled on their servers), holds complete, checks
   * and probes stop, and the sockets of the clients the pool made close at once (clients you
   * passed in stay yours). Later runs error at once.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new ComfyPoolClosedError();
    this.placement.close(error);
    for (const hold of [...this.holds]) hold.complete();
    this.changed.error(error); // pending ready() calls
    for (const server of this.members) server.stop();
    for (const client of this.ownClients) client.close(); // the clients the pool made: their sockets close now
  }

  private activate(): void {
    this.active++;
    if (this.active === 1) for (const server of this.members) server.start();
  }

  private deactivate(): void {
    this.active--;
    if (this.active === 0) for (const server of this.members) server.stop();
  }
}
