import { randomUUID } from 'node:crypto';
import { Subscription } from 'rxjs';
import { ComfyOptionsError } from '../errors';
import type { Logger } from '../log';
import { ComfyNoServerError } from './errors';
import type { DispatchedEvent } from './events';
import type { PoolJob } from './poolJob';
import type { PoolServer } from './poolServer';
import type { PlacementRequest, PoolServerView } from './strategy';

/** Chooses one of the candidates (a strategy of `ComfyPoolOptions`). */
export type Picker = (candidates: readonly PoolServerView[], request: PlacementRequest) => PoolServerView | string;

/** A run that failed on its server: what failover gets. */
export type RunErrorHandler = (job: PoolJob, server: PoolServer, promptId: string, err: unknown) => void;

/**
 * Where the pool's prompts go: the waiting line (resubmissions first, then by arrival), a
 * strategy's choice among the servers that can take a prompt now, the submission to that server,
 * and the slots it holds there until it settles.
 */
export class Placement {
  /** Prompts resubmitted after a server failure: placed before `waiting` (they arrived earlier). */
  private readonly retrying = new Set<PoolJob>();
  /** Prompts waiting for a slot, in arrival order. */
  private readonly waiting = new Set<PoolJob>();
  private readonly running = new Set<PoolJob>();
  private closed = false;
  private pumping = false;
  private pumpAgain = false;
  /** A server changed since the last full scan: waiting prompts may have become hopeless. */
  private serversChanged = false;

  constructor(
    private readonly members: readonly PoolServer[],
    private readonly pick: Picker,
    private readonly log: Logger,
    private readonly onRunError: RunErrorHandler,
  ) {}

  /** Prompts waiting in the pool for a slot. */
  get waitingCount(): number {
    return this.retrying.size + this.waiting.size;
  }

  /** A new prompt joins the end of the line. */
  enter(job: PoolJob): void {
    this.waiting.add(job);
    this.pump();
  }

  /** A failed prompt no longer runs (its slot is already released). */
  forget(job: PoolJob): void {
    this.running.delete(job);
  }

  /** A failed prompt goes back to the head of the line (it arrived before the prompts waiting now). */
  retry(job: PoolJob): void {
    this.running.delete(job);
    this.retrying.add(job);
  }

  /** A server's health or classes changed: rescan every waiting prompt. */
  serverChanged(): void {
    this.serversChanged = true;
    this.pump();
  }

  /** Errors every prompt waiting or running with `error` and places nothing any more. */
  close(error: Error): void {
    this.closed = true;
    for (const job of [...this.retrying, ...this.waiting, ...this.running]) job.subscriber.error(error);
  }

  /** The error for a prompt no server can take. */
  noServer(job: PoolJob): ComfyNoServerError {
    return new ComfyNoServerError(
      this.members.map((server) => ({ server: server.name, missingClassTypes: server.missing(job.needs), down: server.health === 'dead' })),
    );
  }

  /**
   * Places waiting prompts (resubmissions first, then by arrival) while suitable servers have free
   * slots. A prompt that no server can take is skipped, not blocking the ones behind it. After a
   * server change, scans every waiting prompt and fails those no server can ever take.
   */
  pump(): void {
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

  /** Frees the job's slot on its server. */
  release(job: PoolJob): void {
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
  settle(job: PoolJob): void {
    this.release(job);
    this.running.delete(job);
    this.pump();
  }

  /** Unsubscribed (or ended): take it out of the line, stop its run or check, free its slot. */
  drop(job: PoolJob): void {
    this.remove(job);
    job.work.unsubscribe();
    if (job.placed || this.running.has(job)) this.settle(job);
  }

  /** Waiting prompts in placement order (live: removing the current one while iterating is safe). */
  private *queued(): Generator<PoolJob> {
    yield* this.retrying;
    yield* this.waiting;
  }

  private place(job: PoolJob, candidates: readonly PoolServer[]): void {
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
  private submit(job: PoolJob, server: PoolServer): void {
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

  private remove(job: PoolJob): void {
    this.retrying.delete(job);
    this.waiting.delete(job);
  }
}
