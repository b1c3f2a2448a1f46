import { type SchedulerLike, Subscription } from 'rxjs';
import { ComfyPromptLostError } from '../errors';
import type { Logger } from '../log';
import { doneFromHistory } from '../prompt/historyResult';
import { toError } from '../util/toError';
import { classifyFailure } from './classifyFailure';
import { SETTLE_MAX_ROUNDS } from './defaults';
import type { PoolDoneEvent } from './events';
import type { Placement } from './placement';
import type { PoolJob } from './poolJob';
import type { PoolServer } from './poolServer';
import { type AbandonedVerdict, settleAbandoned, settleAbandonedJob } from './settleAbandoned';

export interface FailoverOptions {
  /** Resubmissions allowed per prompt. */
  readonly maxResubmits: number;
  /** Wait between a cancel and the next check of a failed server's prompt. */
  readonly recheckDelayMs: number;
  readonly scheduler: SchedulerLike;
  readonly log: Logger;
}

/**
 * What the pool does when a prompt's run errors: the prompt's own errors end it; a server failure
 * takes the server out, and the prompt is resubmitted elsewhere only once the failed server says
 * it did not finish there (checked with {@link settleAbandoned}; a lost prompt is resubmitted at
 * once), at most `maxResubmits` times. A prompt that finished there ends with that history.
 */
export class Failover {
  constructor(
    private readonly placement: Placement,
    private readonly options: FailoverOptions,
  ) {}

  /** A run of `job` on `server` errored with `err`. */
  onRunError(job: PoolJob, server: PoolServer, promptId: string, err: unknown): void {
    this.placement.release(job);
    if (classifyFailure(err) === 'prompt') {
      this.placement.settle(job);
      job.subscriber.error(err);
      return;
    }
    if (err instanceof ComfyPromptLostError) {
      // The server forgot it: certainly not finished there. Queue it first, then take the server out.
      this.requeue(job, server, err);
      server.fail(err);
      this.placement.pump();
      return;
    }
    server.fail(err);
    const { recheckDelayMs, scheduler } = this.options;
    const check = new Subscription();
    job.work = check;
    const { cancel, watch } = server.client;
    const verdict$ =
      server.v2 && cancel && watch
        ? settleAbandonedJob({ cancel: (id) => cancel.call(server.client, id), watch: (id) => watch.call(server.client, id) }, promptId)
        : settleAbandoned(server.client.http, promptId, { recheckDelayMs, maxRounds: SETTLE_MAX_ROUNDS, scheduler });
    check.add(verdict$.subscribe((verdict) => this.afterCheck(job, server, promptId, err, verdict)));
  }

  private afterCheck(job: PoolJob, server: PoolServer, promptId: string, err: unknown, verdict: AbandonedVerdict): void {
    this.options.log.info({ server: server.name, promptId, verdict: verdict.kind }, 'checked a prompt of a failed server');
    switch (verdict.kind) {
      case 'not-finished':
      case 'unreachable':
        this.requeue(job, server, err);
        this.placement.pump();
        return;
      case 'stuck':
        this.placement.settle(job);
        job.subscriber.error(err);
        return;
      case 'ended':
        this.placement.settle(job);
        if (verdict.done) {
          job.subscriber.next({ ...verdict.done, server: server.name });
          job.subscriber.complete();
        } else job.subscriber.error(verdict.error);
        return;
      case 'finished': {
        this.placement.settle(job);
        let done: PoolDoneEvent;
        try {
          done = { ...doneFromHistory(promptId, verdict.entry, this.options.scheduler.now() - job.startedAt), server: server.name };
        } catch (error) {
          job.subscriber.error(error); // the execution error its history records
          return;
        }
        job.subscriber.next(done);
        job.subscriber.complete();
      }
    }
  }

  /** Back to the head of the line, unless out of resubmissions. */
  private requeue(job: PoolJob, server: PoolServer, err: unknown): void {
    if (job.attempt > this.options.maxResubmits) {
      this.placement.forget(job);
      job.subscriber.error(err);
      return;
    }
    job.resubmittedAfter = { server: server.name, error: toError(err) };
    this.options.log.warn({ err, server: server.name, attempt: job.attempt }, 'resubmitting a prompt elsewhere');
    this.placement.retry(job);
  }
}
