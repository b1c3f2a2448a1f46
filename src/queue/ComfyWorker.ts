import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, QueueEvents, QueueEventsProducer, UnrecoverableError, Worker } from 'bullmq';
import {
  EMPTY,
  type Observable,
  Subject,
  type Subscription,
  catchError,
  concat,
  concatMap,
  connect,
  defer,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  of,
  tap,
  throwError,
} from 'rxjs';
import { ComfyConnectionError, ComfyOptionsError, ComfyPromptLostError } from '../errors';
import { type Logger, libLogger } from '../log';
import { throttleLatest } from '../operators/throttleLatest';
import { type ProgressView, progressView } from '../progress';
import type { DoneEvent, PromptEvent } from '../prompt/events';
import { formatIssues } from '../util/formatIssues';
import { lastValueUntilAborted } from '../util/lastValueUntilAborted';
import { toError } from '../util/toError';
import { describeConnection } from './connection';
import { ComfyJobCancelledError, ComfyJobDataError, ComfyReattachError } from './errors';
import { isRetryable } from './isRetryable';
import { JobData, type JobResult, type PromptRecord, type SerializedError } from './jobData';
import type { JobEvent } from './jobEvent';
import { outputReferences, saveJobOutputs } from './jobOutputs';
import type { JobProgress } from './jobProgress';
import { redisError } from './redisError';
import { type ActivePayload, WORKER_EVENTS } from './rawJobEvent';
import { findPrompt } from './findPrompt';
import { fromJobInputs } from './jobInputs';
import { serializeError } from './serializeError';
import { type ComfyWorkerOptions, ComfyWorkerOptionsSchema, WORKER_DEFAULTS } from './workerOptions';
import type { DeliveryOutcome } from './delivery/deliveryOutcome';
import { WebhookDeliverer } from './delivery/WebhookDeliverer';
import { WebhookOutbox } from './delivery/WebhookOutbox';
import type { DeliveredFile, WebhookEvent } from './delivery/webhookEvent';
import { webhookSigner } from './delivery/webhookSecret';
import { checkWebhookUrl } from './delivery/webhookUrl';
import { type ComfyMetrics, comfyMetrics } from './metrics/comfyMetrics';
import type { S3Store } from './delivery/s3Store';
import { promptTimer } from './metrics/promptTimer';
import type { Readiness } from './metrics/readiness';
import { type TargetEvent, type TargetServer, type WorkerTarget, workerTarget } from './workerTarget';

/** One job being processed: its data as last written, and the writes in order. */
interface Running {
  readonly job: Job;
  data: JobData;
  writing: Promise<void>;
  server: TargetServer | undefined;
  reattached: boolean;
  /** Progress milestones (percent) already sent to the job's webhook. */
  readonly milestones: Set<number>;
  /** The stored names of the job's input files, from the prompt's `queued` event. */
  inputs?: Readonly<Record<string, string>>;
}

/** Percentages at which a job whose webhook asks for progress gets a `job.progress` event. */
const MILESTONES = [25, 50, 75] as const;

const deliveredFiles = (files: JobResult['files']): DeliveredFile[] =>
  files.map((file) => ({ nodeId: file.nodeId, kind: file.kind, filename: file.filename, bytes: file.bytes, path: file.path }));

const toJobProgress = (view: ProgressView, promptId: string | undefined, server: string | undefined): JobProgress => ({
  state: view.state,
  ...(promptId ? { promptId } : {}),
  ...(server ? { server } : {}),
  ...(view.node ? { node: view.node.id, ...(view.node.classType ? { classType: view.node.classType } : {}) } : {}),
  ...(view.nodePercent !== undefined ? { nodePercent: view.nodePercent } : {}),
  ...(view.percent !== undefined ? { percent: view.percent } : {}),
  ...(view.queue.ahead !== undefined ? { queuePosition: view.queue.ahead } : {}),
});

const sameProgress = (a: JobProgress, b: JobProgress): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs the jobs of a `ComfyJobQueue` on a `ComfyClient` or a `ComfyPool`, in any number of
 * processes. Before posting a prompt it records the prompt id (and the server, when known) in the
 * job; a job taken over after a crash or a lost lock asks that server about that prompt first and
 * reattaches (`watch`) when it is queued, running or finished there: it is submitted again only
 * when the server no longer has it. Progress goes to BullMQ throttled (the last update is never
 * dropped); validation, missing-node and execution errors are not retried (BullMQ's
 * `UnrecoverableError`), lost connections and lost prompts are, per the job's `attempts`.
 * ```ts
 * const worker = new ComfyWorker({ connection: { url: 'redis://127.0.0.1:6379' }, name: 'comfy', target: pool, out: { dir: 'out' } });
 * process.once('SIGTERM', () => void worker.close());
 * ```
 */
export class ComfyWorker {
  readonly name: string;
  /** The Redis connection without credentials, for messages. */
  readonly where: string;
  /** Prompts run at once. */
  readonly concurrency: number;
  /** This worker's own view of its jobs (`active`, `progress`, `completed`, `failed`), for logs and CLIs. */
  readonly activity$: Observable<JobEvent>;
  private readonly activity = new Subject<JobEvent>();
  private readonly worker: Worker;
  private readonly cancels: QueueEvents;
  private readonly producer: QueueEventsProducer;
  private readonly target: WorkerTarget;
  private readonly hold: Subscription;
  private readonly log: Logger;
  private readonly outDir: string | undefined;
  private readonly progressIntervalMs: number;
  private readonly drainTimeoutMs: number;
  /** Webhook deliveries this worker sent (empty without `webhooks`). */
  readonly deliveries$: Observable<DeliveryOutcome>;
  private readonly outbox: WebhookOutbox;
  private readonly deliverer: WebhookDeliverer | undefined;
  private warnedUnsigned = false;
  /** This worker's metrics (`metrics.registry` to serve them). */
  readonly metrics: ComfyMetrics;
  private readonly running = new Set<Running>();
  private store: S3Store | undefined;
  private readonly storageRetry: { readonly attempts: number; readonly backoffMs: number };
  /** Resolves when the worker takes jobs (after the bucket check, with `out.s3`). */
  private readonly started: Promise<void>;
  private closing: Promise<{ drained: boolean }> | undefined;

  constructor(options: ComfyWorkerOptions) {
    const parsed = ComfyWorkerOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyWorker options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const opts = parsed.data;
    this.target = workerTarget(opts.target);
    this.name = opts.name;
    this.where = describeConnection(opts.connection);
    this.log = libLogger(opts.logger).child({ component: 'worker', queue: opts.name });
    this.outDir = opts.out && 'dir' in opts.out ? opts.out.dir : undefined;
    const s3 = opts.out && 's3' in opts.out ? opts.out.s3 : undefined;
    this.storageRetry = {
      attempts: (opts.out && 's3' in opts.out ? opts.out.s3.retry?.attempts : undefined) ?? WORKER_DEFAULTS.storageAttempts,
      backoffMs: (opts.out && 's3' in opts.out ? opts.out.s3.retry?.backoffMs : undefined) ?? WORKER_DEFAULTS.storageBackoffMs,
    };
    this.progressIntervalMs = opts.progressIntervalMs ?? WORKER_DEFAULTS.progressIntervalMs;
    this.drainTimeoutMs = opts.drainTimeoutMs ?? WORKER_DEFAULTS.drainTimeoutMs;
    this.concurrency = opts.concurrency ?? this.target.capacity;
    this.activity$ = this.activity.asObservable();
    const connection = { ...opts.connection };
    const signer = opts.webhooks ? webhookSigner(opts.webhooks.secret) : undefined;
    const defaultUrl = opts.webhooks?.url === undefined ? undefined : checkWebhookUrl(opts.webhooks.url, 'default webhook URL');
    const lock = {
      lockDuration: opts.lockDurationMs ?? WORKER_DEFAULTS.lockDurationMs,
      lockRenewTime: opts.lockRenewMs ?? WORKER_DEFAULTS.lockRenewMs,
      stalledInterval: opts.stalledIntervalMs ?? WORKER_DEFAULTS.stalledIntervalMs,
    };
    this.outbox = new WebhookOutbox({ connection, prefix: opts.prefix, queue: opts.name, defaultUrl, retry: opts.webhooks?.retry, log: this.log });
    this.deliverer = signer
      ? new WebhookDeliverer({ connection, prefix: opts.prefix, queue: opts.name, signer, timeoutMs: opts.webhooks?.timeoutMs, concurrency: opts.webhooks?.concurrency, lock, log: this.log })
      : undefined;
    this.deliveries$ = this.deliverer?.outcomes$ ?? EMPTY;
    this.metrics = opts.metrics ?? comfyMetrics();
    this.observe();
    this.hold = this.target.hold();
    this.worker = new Worker(opts.name, (job, token, signal) => this.process(job, token, signal), {
      connection,
      prefix: opts.prefix,
      concurrency: this.concurrency,
      autorun: s3 === undefined, // with a bucket: only once it is known to be there
      ...lock,
      maxStalledCount: opts.maxStalledCount ?? WORKER_DEFAULTS.maxStalledCount,
    });
    this.worker.on('error', (err) => this.log.warn({ err: redisError(err) }, 'redis error'));
    this.started = s3
      ? import('./delivery/s3Store') // the AWS SDK is loaded by workers that write to a bucket only
          .then(async ({ S3Store }) => {
            this.store = new S3Store(s3);
            await this.store.check();
            if (!this.closing) void this.worker.run().catch((err: unknown) => this.log.error({ err: redisError(err) }, 'the worker stopped'));
          })
      : Promise.resolve();
    this.started.catch((err: unknown) => this.log.error({ err }, 'not taking jobs: the output bucket cannot be used'));
    this.producer = new QueueEventsProducer(opts.name, { connection, prefix: opts.prefix });
    this.cancels = new QueueEvents(opts.name, { connection, prefix: opts.prefix });
    this.cancels.on('error', (err) => this.log.warn({ err: redisError(err) }, 'redis error (cancel listener)'));
    this.cancels.on(WORKER_EVENTS.cancel as 'waiting', (args: { jobId: string; reason?: string }) => {
      if (this.worker.cancelJob(args.jobId, args.reason ?? 'cancelled')) this.log.info({ jobId: args.jobId }, 'cancelling a job at a producer\'s request');
    });
  }

  /**
   * Whether this worker can do work: Redis answers a PING and at least one ComfyUI server answers
   * `/system_stats` (each probed once, without retries, within 2 s). Updates `server_up`.
   */
  async readiness(): Promise<Readiness> {
    const redis = this.worker.getBackend().client
      .then((client) => Promise.race([client.runCommand('ping', []) as Promise<string>, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref())]))
      .then(
        (pong) => pong === 'PONG',
        () => false,
      );
    const probes = await Promise.all(this.target.servers.map(async (server) => [server.name, await server.probe()] as const));
    for (const [server, up] of probes) this.metrics.serverUp.set({ server }, up ? 1 : 0);
    const servers = Object.fromEntries(probes);
    const redisUp = await redis;
    return { ready: redisUp && probes.some(([, up]) => up), redis: redisUp, servers };
  }

  /** Counts jobs, webhooks and in-flight prompts in {@link metrics}. */
  private observe(): void {
    this.activity$.subscribe((event) => {
      if (event.type === 'completed') this.metrics.jobs.inc({ state: 'completed' });
      else if (event.type === 'failed') this.metrics.jobs.inc({ state: event.willRetry ? 'retrying' : event.error.name === 'ComfyJobCancelledError' ? 'cancelled' : 'failed' });
    });
    this.deliveries$.subscribe((d) => this.metrics.webhooks.inc({ outcome: d.outcome, type: d.type }));
    this.metrics.collectors.add(() => {
      const counts = new Map(this.target.servers.map((server) => [server.name, 0]));
      for (const running of this.running) if (running.server) counts.set(running.server.name, (counts.get(running.server.name) ?? 0) + 1);
      for (const [server, count] of counts) this.metrics.inFlight.set({ server }, count);
    });
  }

  /** Resolves once the worker and its cancel listener are connected to Redis. */
  async waitUntilReady(): Promise<void> {
    await Promise.all([this.started, this.worker.waitUntilReady(), this.cancels.waitUntilReady(), this.producer.waitUntilReady(), this.deliverer?.waitUntilReady()]);
  }

  /**
   * Stops taking jobs and lets the active ones finish within `drainTimeoutMs`. Jobs still running
   * after that are left to their ComfyUI servers (not cancelled): their locks expire and another
   * worker reattaches to their prompts. Resolves with whether every active job finished.
   */
  close(): Promise<{ drained: boolean }> {
    this.closing ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.drainTimeoutMs)));
      const drained = await Promise.race([this.worker.close().then(() => true as const), bound]);
      clearTimeout(timer);
      if (!drained) {
        this.log.warn({ drainTimeoutMs: this.drainTimeoutMs }, 'active jobs did not finish in time: left running on their servers, another worker will reattach');
        await this.worker.close(true);
      } else this.hold.unsubscribe();
      await Promise.all([this.cancels.close(), this.producer.close(), this.deliverer?.close(!drained), this.outbox.close()]);
      this.store?.close();
      this.activity.complete();
      return { drained };
    })();
    return this.closing;
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined): Promise<JobResult> {
    const jobId = String(job.id);
    const startedAt = Date.now();
    const parsed = JobData.safeParse(job.data);
    if (!parsed.success) {
      const error = new ComfyJobDataError(jobId, formatIssues(parsed.error.issues));
      this.log.error({ err: error, jobId }, 'job failed');
      this.activity.next({ type: 'failed', jobId, error: serializeError(error), willRetry: false });
      throw new UnrecoverableError(error.message);
    }
    const running: Running = { job, data: parsed.data, writing: Promise.resolve(), server: undefined, reattached: false, milestones: new Set() };
    if (job.attemptsMade === 0 && job.timestamp) this.metrics.jobWait.observe((startedAt - job.timestamp) / 1000);
    this.running.add(running);
    this.metrics.jobsActive.inc();
    try {
      if (signal?.aborted) throw new ComfyJobCancelledError(jobId, String(signal.reason ?? 'cancelled'));
      const done = await this.follow(running, signal);
      const server = running.server as TargetServer;
      const folder = running.data.outDir ?? jobId;
      const files = await firstValueFrom(saveJobOutputs(server.http, done.outputs, this.outDir, folder));
      this.metrics.bytes.inc({ direction: 'download' }, files.reduce((sum, file) => sum + (file.skipped ? 0 : file.bytes), 0));
      const objects = this.store ? await this.stored(running, server, done, folder, token) : undefined;
      const result: JobResult = {
        v: 1,
        promptId: done.promptId,
        server: server.name,
        outputs: done.outputs as JobResult['outputs'],
        files,
        ...(objects ? { objects } : {}),
        references: outputReferences(server.http, done.outputs),
        reattached: running.reattached,
        elapsedMs: Date.now() - startedAt,
        ...(running.inputs ? { inputs: running.inputs } : {}),
      };
      await running.writing;
      await this.notifyCompleted(running, {
        type: 'job.completed',
        timestamp: new Date().toISOString(),
        data: { jobId, queue: this.name, promptId: done.promptId, state: 'completed', outputs: result.outputs, files: [...deliveredFiles(result.files), ...(result.objects ?? []).map(({ nodeId, kind, filename, bytes, bucket, key, location, url }) => ({ nodeId, kind, filename, bytes, bucket, key, location, ...(url ? { url } : {}) }))], references: result.references },
      });
      this.log.info({ jobId, server: server.name, promptId: done.promptId, reattached: running.reattached }, 'job completed');
      this.activity.next({ type: 'completed', jobId, result });
      return result;
    } catch (err) {
      if (err instanceof DelayedError) throw err; // waiting for another upload attempt: not a failure
      throw await this.failed(running, signal?.aborted ? new ComfyJobCancelledError(jobId, String(signal.reason ?? 'cancelled')) : toError(err));
    } finally {
      this.running.delete(running);
      this.metrics.jobsActive.dec();
    }
  }

  /**
   * Streams the outputs into the bucket. A failed upload loses nothing: the job records the error and
   * the outputs' `/view` references, and waits (delayed, doubling) for another attempt, which
   * reattaches to the finished prompt and uploads again; after the last one it fails with the
   * `ComfyStorageError`, which carries the references.
   */
  private async stored(running: Running, server: TargetServer, done: DoneEvent, folder: string, token: string | undefined): Promise<JobResult['objects']> {
    const store = this.store as S3Store;
    try {
      const objects = await firstValueFrom(store.upload(server.http, done.outputs, folder, (bytes) => this.metrics.bytes.inc({ direction: 'download' }, bytes)));
      this.metrics.bytes.inc({ direction: 'upload' }, objects.reduce((sum, o) => sum + o.bytes, 0));
      if (running.data.storage) {
        const { storage: _storage, ...data } = running.data;
        await this.write(running, data);
      }
      return objects;
    } catch (err) {
      const error = Object.assign(store.error(err), { references: outputReferences(server.http, done.outputs) });
      const attempts = (running.data.storage?.attempts ?? 0) + 1;
      if (attempts >= this.storageRetry.attempts || !token) throw error;
      const delayMs = this.storageRetry.backoffMs * 2 ** (attempts - 1);
      await this.write(running, { ...running.data, storage: { attempts, error: serializeError(error), references: error.references } });
      this.log.warn({ jobId: running.job.id, err: serializeError(error), attempts, delayMs }, 'outputs not stored: the job waits for another upload');
      await running.job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  }

  /** Stores the failure in the job, tells producers when it will be retried, and returns what to throw to BullMQ. */
  private async failed(running: Running, error: Error): Promise<Error> {
    const { job } = running;
    const jobId = String(job.id);
    const retryable = isRetryable(error);
    const willRetry = retryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    const serialized: SerializedError = serializeError(error);
    try {
      await this.write(running, { ...running.data, failure: serialized });
      if (willRetry) await this.producer.publishEvent({ eventName: WORKER_EVENTS.retrying, jobId, payload: JSON.stringify({ error: serialized }) });
    } catch (err) {
      this.log.warn({ err: redisError(err), jobId }, 'could not store the failure in the job');
    }
    if (!willRetry) {
      const cancelled = error instanceof ComfyJobCancelledError;
      await this.notify(running, {
        type: cancelled ? 'job.cancelled' : 'job.failed',
        timestamp: new Date().toISOString(),
        data: { jobId, queue: this.name, ...(running.data.prompt ? { promptId: running.data.prompt.id } : {}), state: cancelled ? 'cancelled' : 'failed', error: serialized },
      }).catch((err: unknown) => this.log.error({ err: redisError(err), jobId }, 'could not enqueue the webhook of a failed job'));
    }
    this.log[willRetry ? 'warn' : 'error']({ err: error, jobId, willRetry }, 'job attempt failed');
    this.activity.next({ type: 'failed', jobId, error: serialized, willRetry });
    return retryable ? error : new UnrecoverableError(error.message);
  }

  /** Enqueues a webhook event for the job's receiver (none without a webhook); `key` tells milestones apart. */
  private async notify(running: Running, event: WebhookEvent, key?: string): Promise<void> {
    const target = this.outbox.target(running.data);
    if (!target) return;
    if (!this.deliverer && !this.warnedUnsigned) {
      this.warnedUnsigned = true;
      this.log.warn('jobs carry webhooks but this worker has no webhook secret: they wait in the delivery queue for a worker that has one');
    }
    await this.outbox.add(target.url, event, key);
  }

  /** The `job.completed` event: Redis refusing it fails the attempt with a retryable error (the retry reattaches to the finished prompt). */
  private async notifyCompleted(running: Running, event: WebhookEvent): Promise<void> {
    try {
      await this.notify(running, event);
    } catch (err) {
      throw new ComfyConnectionError(`Could not enqueue the job's webhook: ${redisError(err).message}`, this.where);
    }
  }

  /** A progress milestone (25, 50, 75 %) for a job whose webhook asks for them; each is sent once per job. */
  private milestone(running: Running, progress: JobProgress): void {
    if (!running.data.webhook?.progress || progress.percent === undefined) return;
    const reached = MILESTONES.filter((m) => (progress.percent as number) >= m && !running.milestones.has(m));
    for (const m of reached) {
      running.milestones.add(m);
      const jobId = String(running.job.id);
      const event: WebhookEvent = { type: 'job.progress', timestamp: new Date().toISOString(), data: { jobId, queue: this.name, ...(progress.promptId ? { promptId: progress.promptId } : {}), state: 'active', progress: { ...progress, percent: m } } };
      this.notify(running, event, `job.progress.${m}`).catch((err: unknown) => this.log.warn({ err: redisError(err), jobId }, 'could not enqueue a progress webhook'));
    }
  }

  /** Writes the job's data after the previous write (BullMQ replaces the whole data). */
  private write(running: Running, next: JobData): Promise<void> {
    running.data = next;
    running.writing = running.writing.catch(() => undefined).then(() => running.job.updateData(next)); // a failed write does not block the next
    return running.writing;
  }

  /** Follows the job's prompt to its `done`, sending throttled progress; rejects with the prompt's error, or on abort. */
  private follow(running: Running, signal: AbortSignal | undefined): Promise<DoneEvent> {
    const workflow = running.data.workflow;
    const promptId = (): string | undefined => running.data.prompt?.id;
    const timer = promptTimer(this.metrics);
    const steps$ = this.source(running).pipe(
      concatMap((step): Observable<PromptEvent> => {
        if (step.type === 'prompt') {
          if (step.event.type === 'queued' && step.event.inputs) running.inputs = step.event.inputs;
          timer.event(step.event);
          return of(step.event);
        }
        timer.placed(step.server.name);
        return from(this.placed(running, step.server)).pipe(ignoreElements());
      }),
      connect((events$) =>
        merge(
          events$.pipe(
            progressView({ workflow, tickMs: 0 }),
            // `submitting` and `done` say nothing that `active` and `completed` do not: not sent to Redis.
            filter((view) => view.state === 'queued' || view.state === 'running'),
            map((view) => toJobProgress(view, promptId(), running.server?.name)),
            distinctUntilChanged(sameProgress),
            tap((progress) => {
              this.activity.next({ type: 'progress', jobId: String(running.job.id), progress });
              this.milestone(running, progress);
            }),
            throttleLatest({ windowMs: this.progressIntervalMs }),
            concatMap((progress) => from(running.job.updateProgress(progress)).pipe(catchError(() => EMPTY))),
            ignoreElements(),
          ),
          events$.pipe(filter((event): event is DoneEvent => event.type === 'done')),
        ),
      ),
    );
    return lastValueUntilAborted(steps$, signal, {
      aborted: () => new ComfyJobCancelledError(String(running.job.id), String(signal?.reason ?? 'cancelled')), // unsubscribing cancels the prompt on its server
      empty: () => new ComfyPromptLostError(promptId() ?? '?'),
    });
  }

  /** The server the prompt went to is known: record it (a pool picks it just before posting) and tell producers. */
  private async placed(running: Running, server: TargetServer): Promise<void> {
    running.server = server;
    const record = running.data.prompt;
    if (!record) return;
    if (record.server !== server.name) {
      const updated: PromptRecord = { ...record, server: server.name, url: server.url };
      void this.write(running, { ...running.data, prompt: updated, prompts: [...running.data.prompts.slice(0, -1), updated] }).catch((err: unknown) =>
        this.log.warn({ err: redisError(err), jobId: running.job.id }, 'could not record the server of the prompt'),
      );
    }
    const payload: ActivePayload = { server: server.name, promptId: record.id, attempt: record.attempt, reattached: running.reattached };
    this.activity.next({ type: 'active', jobId: String(running.job.id), ...payload });
    await this.producer.publishEvent({ eventName: WORKER_EVENTS.active, jobId: String(running.job.id), payload: JSON.stringify(payload) });
  }

  /**
   * The job's prompt: reattached when an earlier attempt recorded one that its server still has
   * (queued, running or finished), else a fresh submission recorded before it is posted.
   */
  private source(running: Running): Observable<TargetEvent> {
    const record = running.data.prompt;
    if (!record) return this.submit(running);
    const jobId = String(running.job.id);
    const named = record.server ? this.target.servers.find((s) => s.name === record.server) ?? this.target.servers.find((s) => s.url === record.url) : undefined;
    if (record.server && !named) return throwError(() => new ComfyReattachError(jobId, record.id, record.server as string));
    const where$ = named ? of(named) : findPrompt(this.target.servers, record.id);
    return where$.pipe(
      mergeMap((server) => {
        if (!server) return this.submit(running); // no server of the target has it: never posted (the worker died before)
        this.log.info({ jobId, promptId: record.id, server: server.name }, 'reattaching to the prompt of an earlier attempt');
        running.reattached = true;
        return concat(
          of<TargetEvent>({ type: 'placed', server }),
          server.reattach(record.id).pipe(map((event): TargetEvent => ({ type: 'prompt', event }))),
        ).pipe(
          catchError((err: unknown) => {
            if (!(err instanceof ComfyPromptLostError)) return throwError(() => err);
            this.log.warn({ jobId, promptId: record.id, server: server.name }, 'the server no longer has the prompt: submitting it again');
            running.reattached = false;
            return this.submit(running);
          }),
        );
      }),
    );
  }

  /** Records a fresh prompt id (and the server, for a client target) in the job, then posts it. */
  private submit(running: Running): Observable<TargetEvent> {
    return defer(async () => {
      const fixed = this.target.fixedServer;
      const record: PromptRecord = { id: randomUUID(), attempt: running.job.attemptsMade + 1, ...(fixed ? { server: fixed.name, url: fixed.url } : {}) };
      const { failure: _failure, ...data } = running.data;
      await this.write(running, { ...data, prompt: record, prompts: [...running.data.prompts, record] });
      const inputs = Object.keys(running.data.inputs).length ? { inputs: fromJobInputs(running.data.inputs) } : {};
      return this.target.run(running.data.workflow, { ...running.data.run, promptId: record.id, ...inputs });
    }).pipe(mergeMap((run$) => run$));
  }
}
