import { randomUUID } from 'node:crypto';
import { type Observable, type SchedulerLike, type Subscription, asyncScheduler, defer, filter, map, of, share, switchMap, tap } from 'rxjs';
import { z } from 'zod';
import { ObjectInfoCache } from './objectInfo/objectInfoCache';
import { convertWithServer } from './objectInfo/convertWithServer';
import { DEFAULT_LINGER_MS, DEFAULT_RECONNECT, DEFAULT_STALL_WARN_MS } from './constants';
import { ComfyConnectionError, ComfyOptionsError } from './errors';
import { type Logger, libLogger } from './log';
import type { BackoffPolicy } from './operators/reconnectWithBackoff';
import type { Workflow } from './protocol/api';
import { type ComfyMessage, type StatusMessage, framePromptId } from './protocol/messages';
import type { DoneEvent, PromptEvent } from './prompt/events';
import { validateWithServer } from './objectInfo/validateWithServer';
import { PromptRouter } from './prompt/promptRouter';
import { type PromptDeps, type RunOptions, runPrompt } from './prompt/runPrompt';
import { type WatchOptions, watchPrompt } from './prompt/watchPrompt';
import { ComfyHttp } from './transport/http';
import { RetryOptions, retryPolicy } from './transport/retryPolicy';
import { type WebSocketConstructor, connectSocket } from './transport/socket';
import { type ConnectionEvent, SocketHub } from './transport/socketHub';
import { displayUrl } from './util/displayUrl';
import { isPlainObject } from './util/isPlainObject';
import { InputPlacer } from './inputs/inputPlacer';
import type { InputSource } from './inputs/inputSource';
import { nativeInputSurface } from './inputs/nativeSurface';
import { hasInputFiles } from './inputs/resolveInputs';
import { runWithInputs } from './inputs/runWithInputs';
import { type UploadOptions, uploadInput } from './inputs/upload';
import type { UploadedFile } from './inputs/uploadedFile';
import { formatIssues } from './util/formatIssues';
import { isFunction } from './util/isFunction';
import { lastValueUntilAborted } from './util/lastValueUntilAborted';
import type { ApiPrompt } from './workflow/apiPrompt';
import type { ConversionWarning } from './workflow/convert/warnings';
import { withEmbeddedWorkflow } from './workflow/embedded/withEmbeddedWorkflow';
import { isUiWorkflow } from './workflow/convert/isUiWorkflow';
import type { ToApiPromptOptions, ToApiPromptResult } from './workflow/convert/toApiPrompt';


/** Options of {@link ComfyClient}, validated at construction. */
export const ComfyClientOptions = z
  .object({
    /** Server base URL: `http://127.0.0.1:8188`, `https://host/prefix/`, credentials allowed (`http://user:pass@host`). */
    url: z.union([z.string().min(1), z.instanceof(URL)]),
    /** Kept for the client's life, across reconnects (docs/protocol.md rule 2). Default: a fresh UUID. */
    clientId: z.string().min(1).max(256).optional(),
    /** Sent with every HTTP call and the socket upgrade (e.g. `Authorization`). Never logged. */
    headers: z.record(z.string(), z.string()).optional(),
    /** A pino logger; the library logs through a child of it. Silent when absent. */
    logger: z.custom<Logger>((value) => typeof (value as Logger | undefined)?.child === 'function', 'expected a pino logger').optional(),
    /** Silence while a prompt runs before `stalled` + reconciliation. */
    stall: z.object({ warnAfterMs: z.number().positive() }).strict().optional(),
    /** Overall budget of each prompt (off by default). */
    timeoutMs: z.number().positive().optional(),
    /** Reconnect backoff of the shared socket. */
    reconnect: z
      .object({
        initialDelayMs: z.number().nonnegative(),
        maxDelayMs: z.number().nonnegative(),
        maxAttempts: z.number().int().nonnegative(),
        jitter: z.number().min(0).max(1),
      })
      .partial()
      .strict()
      .optional(),
    /** The `ws` constructor or a compatible one. */
    WebSocket: z.custom<WebSocketConstructor>(isFunction, 'expected a WebSocket constructor').optional(),
    /** Replaces global fetch. */
    fetch: z.custom<typeof fetch>(isFunction, 'expected a fetch function').optional(),
    /** Drives every timer (virtual time in tests). */
    scheduler: z
      .custom<SchedulerLike>((value) => isFunction((value as SchedulerLike | undefined)?.schedule) && isFunction((value as SchedulerLike | undefined)?.now), 'expected an RxJS scheduler')
      .optional(),
    /** The socket stays open this long after its last subscriber left. */
    lingerMs: z.number().nonnegative().optional(),
    /** Time allowed for the server's first `status` after connecting. */
    openTimeoutMs: z.number().positive().optional(),
    /** Client ping period (0 disables). */
    pingIntervalMs: z.number().nonnegative().optional(),
    /** Timeout of one JSON HTTP call. */
    requestTimeoutMs: z.number().positive().optional(),
    /** Retries of idempotent reads (every GET) on network errors, timeouts, 429 and 5xx; `{ maxAttempts: 0 }` turns them off. */
    retry: RetryOptions.optional(),
    /**
     * Validate every prompt offline against this server's `/object_info` before posting it (off by
     * default; `RunOptions.validate` overrides it per run). Spares the server the prompts it would
     * reject, and those known to crash its worker thread (a reached node without `inputs`).
     */
    validate: z.boolean().optional(),
  })
  .strict();
export type ComfyClientOptions = z.input<typeof ComfyClientOptions>;

/** Options of {@link ComfyClient.runAsync}. */
export interface RunAsyncOptions extends RunOptions {
  /** Sees every event before the promise settles. */
  onEvent?: (event: PromptEvent) => void;
  /** Aborting cancels the prompt on the server and rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * A ComfyUI server seen through ONE shared WebSocket.
 * ```ts
 * const comfy = new ComfyClient({ url: 'http://127.0.0.1:8188' });
 * comfy.run(workflow).subscribe((event) => console.log(event.type));
 * ```
 */
export class ComfyClient {
  readonly clientId: string;
  /** The server's base URL, without credentials. */
  readonly url: string;
  /** Typed REST calls (each a cold Observable). */
  readonly http: ComfyHttp;
  /** Every message of the shared socket, parsed and validated. Subscribing holds the socket. */
  readonly messages$: Observable<ComfyMessage>;
  /** Connection events of the shared socket (`open`, `reconnecting`). Subscribing holds the socket. */
  readonly connection$: Observable<ConnectionEvent>;
  /** `queue_remaining` of every `status` broadcast. */
  readonly queueRemaining$: Observable<number>;
  private readonly hub: SocketHub;
  private readonly deps: PromptDeps;
  /**
   * This server's `/object_info`, fetched on first use and again once when a workflow names a class
   * it lacks; shared by conversion of UI workflows, offline validation and a pool holding this client.
   */
  readonly objectInfo: ObjectInfoCache;
  private readonly conversionLog: Logger;
  private readonly validateByDefault: boolean;
  /** Input files on this server: placed through the native routes, remembered (see `InputPlacer`). */
  readonly inputFiles: InputPlacer;

  constructor(options: ComfyClientOptions) {
    const parsed = ComfyClientOptions.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyClient options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const opts = parsed.data;
    const logger = libLogger(opts.logger).child({ component: 'client' });
    const scheduler = opts.scheduler ?? asyncScheduler;
    this.clientId = opts.clientId ?? randomUUID();
    this.http = new ComfyHttp({ url: opts.url, headers: opts.headers, requestTimeoutMs: opts.requestTimeoutMs, fetch: opts.fetch, logger, scheduler, retry: opts.retry });
    this.url = displayUrl(this.http.endpoint.base);
    const router = new PromptRouter();
    const wsUrl = this.http.endpoint.ws(this.clientId);
    const reconnect: BackoffPolicy = { ...DEFAULT_RECONNECT, ...opts.reconnect };
    this.hub = new SocketHub({
      connect: () =>
        connectSocket({
          url: wsUrl,
          headers: { ...this.http.endpoint.authHeaders, ...opts.headers },
          logger,
          WebSocket: opts.WebSocket,
          openTimeoutMs: opts.openTimeoutMs,
          pingIntervalMs: opts.pingIntervalMs,
          scheduler,
          wants: (frame) => this.hub.observed || router.wants(frame.type, framePromptId(frame)),
        }),
      dispatch: (message) => router.dispatch(message),
      reconnect,
      lingerMs: opts.lingerMs ?? DEFAULT_LINGER_MS,
      url: wsUrl,
      logger,
      scheduler,
    });
    this.messages$ = this.hub.messages$;
    this.connection$ = this.hub.connection$;
    this.queueRemaining$ = this.messages$.pipe(
      filter((message): message is StatusMessage => message.type === 'status'),
      map((message) => message.data.status?.exec_info.queue_remaining),
      filter((remaining): remaining is number => remaining !== undefined),
    );
    this.objectInfo = new ObjectInfoCache(() => this.http.objectInfoRaw());
    this.conversionLog = logger.child({ component: 'convert' });
    this.validateByDefault = opts.validate ?? false;
    this.inputFiles = new InputPlacer(nativeInputSurface(this.http, this.url));
    this.deps = {
      clientId: this.clientId,
      connection$: this.hub.connection$,
      attach: (promptId) => router.attach(promptId),
      http: this.http,
      queue$: defer(() => this.http.queue()).pipe(share()),
      scheduler,
      logger,
      newPromptId: randomUUID,
      stallWarnAfterMs: opts.stall?.warnAfterMs ?? DEFAULT_STALL_WARN_MS,
      recheckDelayMs: Math.min(1_000, (opts.stall?.warnAfterMs ?? DEFAULT_STALL_WARN_MS) / 4),
      timeoutMs: opts.timeoutMs,
      retry: retryPolicy(opts.retry),
    };
  }

  /**
   * Runs a workflow, in API format or as the editor saves it (a UI workflow is converted with this
   * server's `/object_info` and carried in `extra_pnginfo.workflow`, so its outputs reopen in the
   * editor). Cold: each subscription submits one prompt; unsubscribing before `done` cancels it on
   * the server. With `validate` (the run's or the client's option) the prompt is first checked
   * offline against `/object_info`; one the server would reject fails with its 400's
   * `ComfyValidationError` and is never posted. See {@link PromptEvent} for what it emits.
   */
  run(workflow: Workflow | Record<string, unknown>, options: RunOptions = {}): Observable<PromptEvent> {
    const validate = options.validate ?? this.validateByDefault;
    const ui = isUiWorkflow(workflow);
    const files = options.inputs !== undefined || (!ui && hasInputFiles(workflow));
    if (!validate && !ui && !files) return runPrompt(this.deps, workflow, options);
    const prompt$: Observable<{ prompt: unknown; options: RunOptions }> = ui
      ? convertWithServer(this.objectInfo, workflow).pipe(
          tap(({ warnings }) => this.logConversion(warnings)),
          map(({ prompt }) => ({ prompt, options: withEmbeddedWorkflow(options, workflow) })),
        )
      : of({ prompt: workflow, options });
    const post = (prompt: unknown, runOptions: RunOptions, placed?: ReadonlySet<string>): Observable<PromptEvent> =>
      validate
        ? validateWithServer(this.objectInfo, prompt, runOptions.partialExecutionTargets, placed).pipe(switchMap(() => runPrompt(this.deps, prompt, runOptions)))
        : runPrompt(this.deps, prompt, runOptions);
    return prompt$.pipe(
      switchMap(({ prompt, options: runOptions }) =>
        files || (isPlainObject(prompt) && hasInputFiles(prompt)) ? runWithInputs(this.inputFiles, prompt as Record<string, unknown>, runOptions, post) : post(prompt, runOptions),
      ),
    );
  }

  /**
   * Uploads a file to this server: a path, bytes, a Blob, a Node Readable, or an `http(s)` URL
   * (fetched and streamed), any media type. By default content-addressed: stored as
   * `comfyui-rx/<hash>.<ext>`, looked up first (`HEAD /view`) and remembered, so the same bytes
   * are sent at most once (and concurrent identical uploads make one request); `dedupe: false`
   * keeps the name. With `mask: { original }` the file is a mask for an image on the server: the
   * answer is the new masked image. Cold; unsubscribing aborts. Errors: `ComfyInputError`
   * (`not-found`, `unreadable`, `url-failed`, `too-large`, `mask-original-missing`, `rejected`,
   * `upload-failed`).
   * @throws ComfyOptionsError synchronously for invalid options.
   * @example comfy.upload('photo.png').subscribe((file) => (workflow['10'].inputs.image = file.value));
   */
  upload(source: InputSource, options: UploadOptions = {}): Observable<UploadedFile> {
    return uploadInput(this.inputFiles, source, options);
  }

  /**
   * Converts a UI workflow (the editor's Save format) to the API prompt with this server's
   * `/object_info` (fetched once per client, again once when a node type is missing). An API
   * prompt is returned as it is. Errors: `ComfyMissingNodeTypesError`, `ComfyValidationError`.
   */
  toApiPrompt(workflow: unknown, options: ToApiPromptOptions = {}): Observable<ToApiPromptResult> {
    if (!isUiWorkflow(workflow)) return of({ prompt: workflow as ApiPrompt, warnings: [] });
    return convertWithServer(this.objectInfo, workflow, options);
  }

  private logConversion(warnings: readonly ConversionWarning[]): void {
    for (const warning of warnings) this.conversionLog.warn({ warning }, 'UI workflow conversion: %s', warning.message);
  }

  /**
   * Follows a prompt submitted earlier (by this process before a restart, or by another) from the
   * server's truth (`/queue`, `/history`), then its live events, reconciling on reconnect and on
   * silence like {@link run}. Unknown id: `ComfyPromptLostError`. Unsubscribing does not cancel the
   * prompt unless `cancelOnUnsubscribe`.
   */
  watch(promptId: string, options: WatchOptions = {}): Observable<PromptEvent> {
    return watchPrompt(this.deps, promptId, options);
  }

  /** {@link run} as a promise of its `done` event, for callers who do not want streams. */
  runAsync(workflow: Workflow | Record<string, unknown>, options: RunAsyncOptions = {}): Promise<DoneEvent> {
    const { onEvent, signal, ...runOptions } = options;
    const run$ = this.run(workflow, runOptions);
    const noDone = () => new Error('prompt stream completed without done');
    // `done` is the stream's last event (it completes right after): the last value is the answer
    const last = lastValueUntilAborted(onEvent ? run$.pipe(tap(onEvent)) : run$, signal, { aborted: () => signal?.reason, empty: noDone });
    return last.then((event) => (event.type === 'done' ? event : Promise.reject(noDone())));
  }

  /**
   * Holds the shared socket open until the returned subscription is unsubscribed (scripts that
   * run many prompts one after another keep one connection; `run` calls share it).
   */
  connect(): Subscription {
    return this.connection$.subscribe({ error: () => undefined });
  }

  /**
   * Closes the shared socket now, without waiting for `lingerMs`. Prompts still in flight fail with
   * a {@link ComfyConnectionError} (and are cancelled on the server); later calls fail the same way.
   */
  close(): void {
    this.hub.close(new ComfyConnectionError('The ComfyClient was closed', this.url));
  }

  /** True while the shared socket is open and ready. */
  get isConnected(): boolean {
    return this.hub.isOpen;
  }

  /** Socket connections made so far (1 + reconnects), for diagnostics and tests. */
  get connectionCount(): number {
    return this.hub.connectionCount;
  }
}
