import { randomUUID } from 'node:crypto';
import { Observable, type SchedulerLike, Subject, type Subscriber, Subscription, asyncScheduler, filter } from 'rxjs';
import { type BatchEvent, type BatchTarget, type GenerateOptions, generate } from '../batch';
import { ComfyClient } from '../client';
import { ComfyOptionsError, ComfyPromptLostError } from '../errors';
import { type Logger, libLogger } from '../log';
import type { BackoffPolicy } from '../operators/reconnectWithBackoff';
import type { Workflow } from '../protocol/api';
import type { DoneEvent } from '../prompt/events';
import { doneFromHistory } from '../prompt/historyResult';
import type { RunOptions } from '../prompt/runPrompt';
import { ComfyHttp } from '../transport/http';
import { formatIssues } from '../util/formatIssues';
import { classifyFailure } from './classifyFailure';
import {
  DEFAULT_MAX_CONCURRENT_PER_SERVER,
  DEFAULT_MAX_RESUBMITS,
  DEFAULT_POOL_HEALTH,
  DEFAULT_POOL_RECHECK_DELAY_MS,
  SETTLE_MAX_ROUNDS,
} from './defaults';
import { ComfyNoServerError, ComfyPoolClosedError } from './errors';
import type { DispatchedEvent, PoolDoneEvent, PoolEvent, ServerPromptEvent } from './events';
import { leastLoaded } from './leastLoaded';
import { ComfyPoolOptions } from './options';
import type { PoolClient } from './poolClient';
import { PoolServer, type ServerHealth } from './poolServer';
import { requiredClassTypes } from './requiredClassTypes';
import { roundRobin } from './roundRobin';
import { type AbandonedVerdict, settleAbandoned } from './settleAbandoned';
import type { PlacementRequest, PoolServerView } from './strategy';
import { toError } from '../util/toError';

/** One server as `ComfyPool.servers` shows it. */
export interface PoolServerStatus extends PoolServerView {
  readonly health: ServerHealth;
  /** Node classes known from its `/object_info` (undefined until fetched). */
  readonly classTypeCount: number | undefined;
}

/** One `pool.run` subscription. */
interface Job {
  readonly workflow: Workflow | Record<string, unknown>;
  readonly options: RunOptions;
  readonly needs: readonly string[];
  readonly subscriber: Subscriber<PoolEvent>;
  readonly startedAt: number;
  /** Submissions so far (1 = the first). */
  attempt: number;
  /** Where it runs (or last ran). */
  server: PoolServer | undefined;
  /** Holds a slot on `server`. */
  placed: boolean;
  /** The server accepted the current submission (`queued`). */
  accepted: boolean;
  /** The current run, or the check after a failure. */
  work: Subscription;
  resubmittedAfter: DispatchedEvent['resubmittedAfter'];
}

type Picker = (candidates: readonly PoolServerView[], request: PlacementRequest) => PoolServerView | string;

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
  private readonly pick: Picker;
  /** Prompts resubmitted after a server failure: placed before `waiting` (they arrived earlier). */
  private readonly retrying = new Set<Job>();
  /** Prompts waiting for a slot, in arrival order. */
  private readonly waiting = new Set<Job>();
  private readonly running = new Set<Job>();
  private readonly holds = new Set<Subscriber<never>>();
  /** Fires after every server change (health, classes). */
  private readonly changed = new Subject<void>();
  private readonly scheduler: SchedulerLike;
  private readonly maxResubmits: number;
  private readonly recheckDelayMs: number;
  private readonly log: Logger;
  private active = 0;
  private closed = false;
  /** Clients this pool made (from URLs): closed with the pool. */
  private readonly ownClients: ComfyClient[] = [];
  private pumping = false;
  private pumpAgain = false;
  /** A server changed since the last full scan: waiting prompts may have become hopeless. */
  private serversChanged = false;

  constructor(options: ComfyPoolOptions) {
    const parsed = ComfyPoolOptions.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyPool options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const opts = parsed.data;
    this.scheduler = opts.scheduler ?? asyncScheduler;
    this.maxResubmits = opts.maxResubmits ?? DEFAULT_MAX_RESUBMITS;
    this.recheckDelayMs = opts.recheckDelayMs ?? DEFAULT_POOL_RECHECK_DELAY_MS;
    this.log = libLogger(opts.logger).child({ component: 'pool' });
    const health: BackoffPolicy = { ...DEFAULT_POOL_HEALTH, ...opts.health };
    const onChange = (): void => {
      this.serversChanged = true;
      this.pump();
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
    if (opts.strategy === 'round-robin') this.pick = roundRobin();
    else if (typeof opts.strategy === 'function') this.pick = opts.strategy;
    else this.pick = leastLoaded;
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
    return this.retrying.size + this.waiting.size;
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
      const job: Job = {
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
        subscriber.error(this.noServer(job));
        return () => this.deactivate();
      }
      this.waiting.add(job);
      this.pump();
      return () => {
        this.drop(job);
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
   * This pool as a batch target: `run` leaves out the `dispatched` events (a batch expects plain
   * prompt events; each still carries `server`), `httpFor` finds the server of a `done`, `hold`
   * keeps the pool active for the batch's life.
   */
  asBatchTarget(): BatchTarget {
    return {
      run: (workflow, options) => this.run(workflow, options).pipe(filter((event): event is ServerPromptEvent => event.type !== 'dispatched')),
      httpFor: (done) => this.httpFor(done),
      hold: () => this.hold(),
    };
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
    for (const job of [...this.retrying, ...this.waiting, ...this.running]) job.subscriber.error(error);
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

  /**
   * Places waiting prompts (resubmissions first, then by arrival) while suitable servers have free
   * slots. A prompt that no server can take is skipped, not blocking the ones behind it. After a
   * server change, scans every waiting prompt and fails those no server can ever take.
   */
  private pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const scanAll = this.serversChanged;
        this.serversChanged = false;
        for (const job of this.queued()) {
          if (!scanAll && !this.members.some((server) => server.health === 'up' && server.inFlight < server.maxConcurrent)) break;
          const candidates = this.members.filter((server) => server.canTake(job.needs));
          if (candidates.length > 0) {
            this.place(job, candidates);
          } else if (!this.members.some((server) => server.mayTake(job.needs))) {
            this.remove(job);
            job.subscriber.error(this.noServer(job));
          }
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  /** Waiting prompts in placement order (live: removing the current one while iterating is safe). */
  private *queued(): Generator<Job> {
    yield* this.retrying;
    yield* this.waiting;
  }

  private place(job: Job, candidates: readonly PoolServer[]): void {
    this.remove(job);
    let server: PoolServer | undefined;
    try {
      const choice = this.pick(
        candidates.map((candidate) => candidate.view()),
        { workflow: job.workflow, attempt: job.attempt + 1 },
      );
      const name = typeof choice === 'string' ? choice : choice?.name;
      server = candidates.find((candidate) => candidate.name === name);
      if (!server) throw new ComfyOptionsError(`The pool strategy chose '${String(name)}', which is not one of the candidates (${candidates.map((c) => c.name).join(', ')})`);
    } catch (err) {
      job.subscriber.error(err);
      return;
    }
    this.submit(job, server);
  }

  /** Submits the prompt to `server` and follows it. */
  private submit(job: Job, server: PoolServer): void {
    job.attempt++;
    job.server = server;
    job.placed = true;
    job.accepted = false;
    server.inFlight++;
    this.running.add(job);
    const promptId = job.options.promptId ?? randomUUID();
    const dispatched: DispatchedEvent = job.resubmittedAfter
      ? { type: 'dispatched', server: server.name, attempt: job.attempt, resubmittedAfter: job.resubmittedAfter }
      : { type: 'dispatched', server: server.name, attempt: job.attempt };
    this.log.debug({ server: server.name, attempt: job.attempt, promptId }, 'dispatched');
    job.subscriber.next(dispatched);
    if (job.subscriber.closed) return;
    const work = new Subscription();
    job.work = work;
    work.add(
      server.client.run(job.workflow, { ...job.options, promptId }).subscribe({
        next: (event) => {
          if (event.type === 'queued' && !job.accepted) {
            job.accepted = true;
            server.accepted++;
          }
          job.subscriber.next({ ...event, server: server.name });
        },
        error: (err: unknown) => this.onRunError(job, server, promptId, err),
        complete: () => {
          this.settle(job);
          job.subscriber.complete();
        },
      }),
    );
  }

  private onRunError(job: Job, server: PoolServer, promptId: string, err: unknown): void {
    this.release(job);
    if (classifyFailure(err) === 'prompt') {
      this.settle(job);
      job.subscriber.error(err);
      return;
    }
    if (err instanceof ComfyPromptLostError) {
      // The server forgot it: certainly not finished there. Queue it first, then take the server out.
      this.requeue(job, server, err);
      server.fail(err);
      this.pump();
      return;
    }
    server.fail(err);
    const check = new Subscription();
    job.work = check;
    check.add(
      settleAbandoned(server.client.http, promptId, { recheckDelayMs: this.recheckDelayMs, maxRounds: SETTLE_MAX_ROUNDS, scheduler: this.scheduler }).subscribe(
        (verdict) => this.afterCheck(job, server, promptId, err, verdict),
      ),
    );
  }

  private afterCheck(job: Job, server: PoolServer, promptId: string, err: unknown, verdict: AbandonedVerdict): void {
    this.log.info({ server: server.name, promptId, verdict: verdict.kind }, 'checked a prompt of a failed server');
    switch (verdict.kind) {
      case 'not-finished':
      case 'unreachable':
        this.requeue(job, server, err);
        this.pump();
        return;
      case 'stuck':
        this.settle(job);
        job.subscriber.error(err);
        return;
      case 'finished': {
        this.settle(job);
        let done: PoolDoneEvent;
        try {
          done = { ...doneFromHistory(promptId, verdict.entry, this.scheduler.now() - job.startedAt), server: server.name };
        } catch (error) {
          job.subscriber.error(error); // the execution error its history records
          return;
        }
        job.subscriber.next(done);
        job.subscriber.complete();
      }
    }
  }

  /** Back to the head of the queue (it arrived before the prompts waiting now), unless out of resubmissions. */
  private requeue(job: Job, server: PoolServer, err: unknown): void {
    this.running.delete(job);
    if (job.attempt > this.maxResubmits) {
      job.subscriber.error(err);
      return;
    }
    const error = toError(err);
    job.resubmittedAfter = { server: server.name, error };
    this.log.warn({ err, server: server.name, attempt: job.attempt }, 'resubmitting a prompt elsewhere');
    this.retrying.add(job);
  }

  /** Frees the job's slot on its server. */
  private release(job: Job): void {
    const server = job.server;
    if (!server || !job.placed) return;
    job.placed = false;
    server.inFlight--;
    if (job.accepted) {
      job.accepted = false;
      server.accepted--;
    }
  }

  /** The job is over: its slot is free for the next waiting prompt. */
  private settle(job: Job): void {
    this.release(job);
    this.running.delete(job);
    this.pump();
  }

  /** Unsubscribed (or ended): take it out of the queue, stop its run or check, free its slot. */
  private drop(job: Job): void {
    this.remove(job);
    job.work.unsubscribe();
    if (job.placed || this.running.has(job)) this.settle(job);
  }

  private remove(job: Job): void {
    this.retrying.delete(job);
    this.waiting.delete(job);
  }

  private noServer(job: Job): ComfyNoServerError {
    return new ComfyNoServerError(
      this.members.map((server) => ({ server: server.name, missingClassTypes: server.missing(job.needs), down: server.health === 'dead' })),
    );
  }
}
