import { Job, Queue, QueueEvents, QueueEventsProducer } from 'bullmq';
import { Observable, Subject, defer, filter, firstValueFrom, last } from 'rxjs';
import { ComfyInvalidPromptError, ComfyOptionsError } from '../errors';
import { type Logger, libLogger } from '../log';
import { formatIssues } from '../util/formatIssues';
import { describeConnection } from './connection';
import { ComfyJobCancelledError } from './errors';
import { JOB_DATA_VERSION, JobData, type JobDataInput, type JobResult, type SerializedError } from './jobData';
import type { JobEvent } from './jobEvent';
import { jobEventStream } from './jobEventStream';
import { type AddJobOptions, AddJobOptionsSchema, type ComfyJobQueueOptions, ComfyJobQueueOptionsSchema, DEFAULT_JOB_ATTEMPTS, DEFAULT_JOB_BACKOFF_MS } from './options';
import { type JobSnapshot, type RawJobEvent, WORKER_EVENTS } from './rawJobEvent';
import { redisError } from './redisError';
import { reviveError, serializeError } from './serializeError';
import { DeliveryJobData, deliveryQueueName } from './delivery/deliveryJob';
import { WebhookOutbox } from './delivery/WebhookOutbox';
import { checkWebhookUrl } from './delivery/webhookUrl';
import { displayUrl } from '../util/displayUrl';
import { isPlainObject } from '../util/isPlainObject';
import { toJobInputs } from './jobInputs';

/** The BullMQ job name of every comfyui-rx job. */
export const JOB_NAME = 'comfy-prompt';

/** How `cancel` ended. */
export type CancelOutcome =
  /** It was waiting (or delayed): removed, it will never run. */
  | 'removed'
  /** It was running: the worker that runs it was asked to cancel it (its prompt is interrupted). */
  | 'cancelling'
  /** It had already completed or failed. */
  | 'finished'
  | 'not-found';

const FINISHED = new Set(['completed', 'failed']);
const LIVE_EVENTS = ['waiting', 'active', 'stalled', 'removed', 'delayed', 'progress', 'completed', 'failed', WORKER_EVENTS.active, WORKER_EVENTS.retrying] as const;

/**
 * The producer side of a durable ComfyUI job queue on BullMQ: adds workflows as jobs, follows them
 * from any process, cancels them. Workers (`ComfyWorker`) in any number of processes run them.
 * ```ts
 * const queue = new ComfyJobQueue({ connection: { url: 'redis://127.0.0.1:6379' }, name: 'comfy' });
 * const { id } = await queue.add(workflow);
 * queue.events$(id).subscribe((event) => console.log(event.type));
 * const result = await queue.result(id); // outputs and saved files, or the typed error
 * ```
 */
export class ComfyJobQueue {
  readonly name: string;
  /** The Redis connection without credentials, for messages. */
  readonly where: string;
  private readonly queue: Queue;
  private readonly log: Logger;
  private readonly options: ComfyJobQueueOptions;
  private events: Promise<QueueEvents> | undefined;
  private producer: QueueEventsProducer | undefined;
  /** Live listeners by job id (one `QueueEvents` for every `events$` of this queue). */
  private readonly listeners = new Map<string, Set<Subject<RawJobEvent>>>();
  private closed = false;
  private deliveries: Queue | undefined;
  private outbox: WebhookOutbox | undefined;

  constructor(options: ComfyJobQueueOptions) {
    const parsed = ComfyJobQueueOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyJobQueue options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    this.options = parsed.data;
    this.name = parsed.data.name;
    this.where = describeConnection(parsed.data.connection);
    this.log = libLogger(parsed.data.logger).child({ component: 'job-queue', queue: this.name });
    this.queue = new Queue(this.name, { connection: { ...parsed.data.connection }, prefix: parsed.data.prefix });
    this.queue.on('error', (err) => this.log.warn({ err: redisError(err) }, 'redis error'));
  }

  /**
   * Adds one workflow (API format) as a job. Resolves to its id once Redis has it. Input files (the
   * `inputs` option, `inputFile` handles in the workflow) are stored as paths, URLs or small inline
   * bytes; the worker places them on the server that runs the prompt.
   * @throws ComfyOptionsError for invalid options; ComfyInvalidPromptError when the workflow is not an
   *   object; ComfyInputError (`inline-too-large`) for inline bytes over `maxInlineInputBytes`.
   */
  async add(workflow: Record<string, unknown>, options: AddJobOptions = {}): Promise<{ id: string }> {
    const [added] = await this.addBulk([{ workflow, options }]);
    return added as { id: string };
  }

  /** Adds several jobs in one Redis round trip (atomically). Resolves to their ids, in order. */
  async addBulk(jobs: ReadonlyArray<{ workflow: Record<string, unknown>; options?: AddJobOptions }>): Promise<Array<{ id: string }>> {
    const parsedJobs = jobs.map(({ workflow, options = {} }, index) => {
      const parsed = AddJobOptionsSchema.safeParse(options);
      if (!parsed.success) throw new ComfyOptionsError(`Invalid job options (job ${index}): ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
      return { workflow, opts: parsed.data };
    });
    // input files become paths, URLs or small inline bytes (never large bytes in Redis)
    const prepared = await Promise.all(
      parsedJobs.map(async ({ workflow, opts }) => ({ opts, ...(isPlainObject(workflow) ? await toJobInputs(workflow, opts.inputs, this.options.maxInlineInputBytes) : { workflow, inputs: {} }) })),
    );
    const entries = prepared.map(({ workflow, opts, inputs }, index) => {
      const webhook = opts.webhook === undefined ? undefined : typeof opts.webhook === 'string' ? { url: opts.webhook } : opts.webhook;
      if (webhook) webhook.url = checkWebhookUrl(webhook.url, `webhook URL (job ${index})`);
      const input: JobDataInput = {
        v: JOB_DATA_VERSION,
        workflow,
        run: opts.run ?? {},
        ...(opts.outDir ? { outDir: opts.outDir } : {}),
        ...(webhook ? { webhook } : {}),
        ...(Object.keys(inputs).length ? { inputs } : {}),
      };
      const data = JobData.safeParse(input);
      if (!data.success) {
        const where = formatIssues(data.error.issues);
        throw new ComfyInvalidPromptError(`Invalid workflow (job ${index}): ${where}`, where, data.error.issues);
      }
      const backoff = opts.backoff === undefined ? DEFAULT_JOB_BACKOFF_MS : opts.backoff;
      return {
        name: JOB_NAME,
        data: data.data,
        opts: {
          ...(opts.jobId ? { jobId: opts.jobId } : {}),
          ...(opts.priority ? { priority: opts.priority } : {}),
          attempts: opts.attempts ?? DEFAULT_JOB_ATTEMPTS,
          backoff: typeof backoff === 'number' ? { type: 'fixed', delay: backoff } : backoff,
        },
      };
    });
    const added = await this.queue.addBulk(entries);
    return added.map((job) => ({ id: String(job.id) }));
  }

  /**
   * The life of a job as {@link JobEvent}s, from any process: first its current `state` (so a late
   * subscriber is never blind), then `waiting`, `active` (server, prompt id), `progress`,
   * `stalled`, `failed` (with `willRetry`), and the final `completed`, `failed` or `removed`, after
   * which it completes. Errors with `ComfyJobNotFoundError` for an unknown id. Cold.
   */
  events$(jobId: string): Observable<JobEvent> {
    return jobEventStream({
      jobId,
      queue: this.name,
      live$: this.live(jobId),
      snapshot$: defer(() => this.snapshot(jobId)),
      failure: () => this.storedFailure(jobId),
    });
  }

  /** The job's result (outputs, saved files, `/view` references), or its typed error re-created here. */
  async result(jobId: string): Promise<JobResult> {
    const end = await firstValueFrom(this.events$(jobId).pipe(filter((event) => event.type === 'completed' || event.type === 'failed' || event.type === 'removed'), last()));
    if (end.type === 'completed') return end.result;
    if (end.type === 'removed') throw new ComfyJobCancelledError(jobId, 'removed from the queue');
    throw reviveError(end.error);
  }

  /**
   * Cancels a job: a waiting or delayed one is removed; an active one is cancelled in whichever
   * worker process runs it (BullMQ's job cancellation: its AbortSignal fires), which interrupts its
   * prompt on the ComfyUI server; it then fails with `ComfyJobCancelledError` (not retried).
   */
  async cancel(jobId: string, reason = 'cancelled by a producer'): Promise<CancelOutcome> {
    const job = await Job.fromId(this.queue, jobId);
    if (!job) return 'not-found';
    const state = await job.getState();
    if (FINISHED.has(state)) return 'finished';
    if (state !== 'active') {
      try {
        await job.remove();
        await this.notifyRemoved(jobId, job.data, reason);
        return 'removed';
      } catch (err) {
        this.log.debug({ err, jobId }, 'remove failed (the job became active); cancelling it in its worker');
      }
    }
    await this.publish({ eventName: WORKER_EVENTS.cancel, jobId, reason });
    return 'cancelling';
  }

  /** Counts of jobs by state. */
  async counts(): Promise<Record<'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed', number>> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, prioritized: counts.prioritized ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0 };
  }

  /** The last failed jobs (newest first) with their typed errors as the workers stored them. */
  async lastFailures(count = 10): Promise<Array<{ id: string; error: SerializedError; attemptsMade: number; finishedOn?: number }>> {
    const jobs = await this.queue.getFailed(0, Math.max(0, count - 1));
    return jobs.map((job) => {
      const data = JobData.safeParse(job.data);
      const error = (data.success ? data.data.failure : undefined) ?? { name: 'Error', message: job.failedReason ?? 'failed', fields: {} };
      return { id: String(job.id), error, attemptsMade: job.attemptsMade, ...(job.finishedOn ? { finishedOn: job.finishedOn } : {}) };
    });
  }

  /** The last webhook deliveries that failed their last attempt (newest first), for `comfyui-rx jobs`. */
  async lastDeliveryFailures(count = 10): Promise<Array<{ jobId: string; type: string; webhookId: string; url: string; attempts: number; error: string; finishedOn?: number }>> {
    const jobs = await this.deliveryQueue().getFailed(0, Math.max(0, count - 1));
    return jobs.flatMap((job) => {
      const data = DeliveryJobData.safeParse(job.data);
      if (!data.success) return [];
      const { jobId, type, webhookId, url } = data.data;
      return [{ jobId, type, webhookId, url: displayUrl(url), attempts: job.attemptsMade, error: job.failedReason ?? 'failed', ...(job.finishedOn ? { finishedOn: job.finishedOn } : {}) }];
    });
  }

  /** Removes the queue, its delivery queue and every job in them from Redis (tests, resets). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
    await this.deliveryQueue().obliterate({ force: true });
  }

  /** Closes the Redis connections; `events$` streams still open error. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const events = this.events;
    this.events = undefined;
    for (const subjects of this.listeners.values()) for (const subject of subjects) subject.error(new ComfyOptionsError('The ComfyJobQueue was closed'));
    this.listeners.clear();
    await Promise.all([this.queue.close(), this.producer?.close(), this.deliveries?.close(), this.outbox?.close(), events?.then((e) => e.close()).catch(() => undefined)]);
  }

  /** A waiting job with a webhook was removed: its receiver gets `job.cancelled` (the producer enqueues it; a worker signs it). */
  private async notifyRemoved(jobId: string, raw: unknown, reason: string): Promise<void> {
    const data = JobData.safeParse(raw);
    if (!data.success || !data.data.webhook) return;
    this.outbox ??= new WebhookOutbox({ connection: this.options.connection, prefix: this.options.prefix, queue: this.name, log: this.log });
    const error = serializeError(new ComfyJobCancelledError(jobId, reason));
    await this.outbox
      .add(data.data.webhook.url, { type: 'job.cancelled', timestamp: new Date().toISOString(), data: { jobId, queue: this.name, state: 'cancelled', error } })
      .catch((err: unknown) => this.log.warn({ err: redisError(err), jobId }, 'could not enqueue the webhook of a removed job'));
  }

  private deliveryQueue(): Queue {
    this.deliveries ??= new Queue(deliveryQueueName(this.name), { connection: { ...this.options.connection }, prefix: this.options.prefix });
    return this.deliveries;
  }

  /** Live events of one job: registered at once, delivered by the queue's one `QueueEvents`. */
  private live(jobId: string): Observable<RawJobEvent> {
    return new Observable<RawJobEvent>((subscriber) => {
      const subject = new Subject<RawJobEvent>();
      const inner = subject.subscribe(subscriber);
      let set = this.listeners.get(jobId);
      if (!set) this.listeners.set(jobId, (set = new Set()));
      set.add(subject);
      this.queueEvents().catch((err: unknown) => subscriber.error(err));
      return () => {
        inner.unsubscribe();
        set.delete(subject);
        if (set.size === 0) this.listeners.delete(jobId);
      };
    });
  }

  /**
   * The queue's `QueueEvents`, started once from a mark written to the event stream first, so every
   * event after the first `events$` subscription reaches it (QueueEvents alone starts at "now").
   */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      await this.queue.waitUntilReady();
      const client = await this.queue.getBackend().client;
      const mark = await client.xadd(this.queue.keys.events, '*', { event: WORKER_EVENTS.mark });
      const events = new QueueEvents(this.name, { connection: { ...this.options.connection }, prefix: this.options.prefix, lastEventId: mark });
      events.on('error', (err) => this.log.warn({ err: redisError(err) }, 'redis error (events)'));
      for (const name of LIVE_EVENTS) {
        events.on(name as 'waiting', (args: { jobId: string }) => {
          const subjects = this.listeners.get(args.jobId);
          if (!subjects) return;
          const raw = { event: name, ...args } as unknown as RawJobEvent;
          for (const subject of [...subjects]) subject.next(raw);
        });
      }
      await events.waitUntilReady();
      return events;
    })();
    return this.events;
  }

  private async snapshot(jobId: string): Promise<JobSnapshot> {
    await this.queueEvents(); // listening before reading
    // The state first, then the job: a worker stores a failure (and BullMQ the reason and the
    // attempt) before the job moves to failed, so a job read after its state is at least as new as
    // that state. Read the other way round, a job failing in between looked failed without its error.
    const state = await this.queue.getJobState(jobId);
    const job = await Job.fromId(this.queue, jobId);
    if (!job) return { state: 'unknown', attemptsMade: 0, progress: undefined, returnvalue: undefined };
    const data = JobData.safeParse(job.data);
    return {
      state: state === 'unknown' ? 'unknown' : (state as JobSnapshot['state']),
      attemptsMade: job.attemptsMade,
      ...(data.success ? { data: data.data } : {}),
      progress: job.progress,
      returnvalue: job.returnvalue,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    };
  }

  private async storedFailure(jobId: string): Promise<SerializedError | undefined> {
    const job = await Job.fromId(this.queue, jobId);
    const data = JobData.safeParse(job?.data);
    return data.success ? data.data.failure : undefined;
  }

  private async publish(event: { eventName: string; jobId: string; reason: string }): Promise<void> {
    this.producer ??= new QueueEventsProducer(this.name, { connection: { ...this.options.connection }, prefix: this.options.prefix });
    await this.producer.publishEvent(event);
  }
}
