import { randomUUID } from 'node:crypto';
import { NEVER, type Observable, type SchedulerLike, type Subscription, asyncScheduler, defer, filter, map, of, share, shareReplay, switchMap, tap } from 'rxjs';
import { z } from 'zod';
import { fetchServerIndex } from './objectInfo/fetchServerIndex';
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
import { withReproducibleWorkflow } from './objectInfo/withReproducibleWorkflow';
import { embeddedUiWorkflow } from './workflow/embedded/embeddedUiWorkflow';
import { PromptRouter } from './prompt/promptRouter';
import { type PromptDeps, type RunOptions, runPrompt } from './prompt/runPrompt';
import { type WatchOptions, watchPrompt } from './prompt/watchPrompt';
import { ComfyHttp } from './transport/http';
import { type RetryOptions, RetryOptionsSchema, retryPolicy } from './transport/retryPolicy';
import { type WebSocketConstructor, connectSocket } from './transport/socket';
import { type ConnectionEvent, SocketHub } from './transport/socketHub';
import { displayUrl } from './util/displayUrl';
import { isPlainObject } from './util/isPlainObject';
import { InputPlacer } from './inputs/inputPlacer';
import type { InputSource } from './inputs/inputSource';
import { nativeInputSurface } from './inputs/nativeSurface';
import { v2InputSurface } from './surfaces/v2/assets/v2InputSurface';
import { hasInputFiles } from './inputs/resolveInputs';
import { runWithInputs } from './inputs/runWithInputs';
import { type UploadOptions, uploadInput } from './inputs/upload';
import type { UploadedFile } from './inputs/uploadedFile';
import { formatIssues } from './util/formatIssues';
import { isFunction } from './util/isFunction';
import { lastValueUntilAborted } from './util/lastValueUntilAborted';
import type { SameShape } from './util/sameShape';
import type { CancelResult } from './surfaces/cancelResult';
import { cancelNativePrompt } from './surfaces/native/cancelPrompt';
import { reconcilePrompt } from './prompt/reconcile';
import { withPartnerKey } from './surfaces/native/withPartnerKey';
import { detectApi } from './surfaces/detectApi';
import { DEFAULT_FOLLOW_TIMING } from './surfaces/v2/followJob';
import { V2Http } from './surfaces/v2/v2Http';
import { V2Surface } from './surfaces/v2/v2Surface';
import type { ApiPrompt } from './workflow/apiPrompt';
import type { ConversionWarning } from './workflow/convert/warnings';
import { withEmbeddedWorkflow } from './workflow/embedded/withEmbeddedWorkflow';
import { isUiWorkflow } from './workflow/convert/isUiWorkflow';
import type { ToApiPromptOptions, ToApiPromptResult } from './workflow/convert/toApiPrompt';


/** Options of {@link ComfyClient}, checked at construction (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface ComfyClientOptions {
  /** Server base URL: `http://127.0.0.1:8188`, `https://host/prefix/`, credentials allowed (`http://user:pass@host`). */
  readonly url: string | URL;
  /** Kept for the client's life, across reconnects (docs/protocol.md rule 2: the server routes a prompt's messages by it). Default: a fresh UUID. */
  readonly clientId?: string;
  /** Sent with every HTTP call and the socket upgrade (e.g. `Authorization`). Never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A pino logger; the library logs through a child of it. Silent when absent. */
  readonly logger?: Logger;
  /** Silence while a prompt runs before `stalled` + reconciliation (default 30 000 ms). */
  readonly stall?: { readonly warnAfterMs: number };
  /** Overall budget of each prompt, ms (off by default): `ComfyTimeoutError`, and the prompt is cancelled. */
  readonly timeoutMs?: number;
  /** Reconnect backoff of the shared socket; each key defaults separately. */
  readonly reconnect?: Partial<BackoffPolicy>;
  /** The `ws` constructor or a compatible one. */
  readonly WebSocket?: WebSocketConstructor;
  /** Replaces global fetch. */
  readonly fetch?: typeof fetch;
  /** Drives every timer (virtual time in tests). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The socket stays open this long after its last subscriber left, ms (default 500). */
  readonly lingerMs?: number;
  /** Time allowed for the server's first `status` after connecting, ms (default 10 000). */
  readonly openTimeoutMs?: number;
  /** Client ping period, ms (0 disables; default 20 000). */
  readonly pingIntervalMs?: number;
  /** Timeout of one JSON HTTP call, ms (default 60 000). */
  readonly requestTimeoutMs?: number;
  /** Retries of idempotent reads (every GET) on network errors, timeouts, 429 and 5xx; `{ maxAttempts: 0 }` turns them off. */
  readonly retry?: RetryOptions;
  /**
   * Validate every prompt offline against this server's `/object_info` before posting it (off by
   * default; `RunOptions.validate` overrides it per run). Spares the server the prompts it would
   * reject, and those known to crash its worker thread (a reached node without `inputs`).
   */
  readonly validate?: boolean;
  /**
   * Which API the server speaks: `native` (ComfyUI's own: `/prompt`, WebSocket; the default),
   * `v2` (the Comfy API v2: Comfy Cloud, serverless deployments, comfy-api-proxy), or `auto`
   * (asks `/api/v2/health` once per client). Same `run()`, `watch()`, events and errors.
   */
  readonly api?: ComfyApi | 'auto';
  /**
   * API key: `extra_data.api_key_comfy_org` of every prompt (partner nodes; `RunOptions.apiKey`
   * overrides it per run) on both surfaces, and on v2 also `Authorization: Bearer`, sent to this
   * server's origin only. Never logged, never kept in job data.
   */
  readonly apiKey?: string;
  /** Waits of the v2 surface (see `FollowTiming`): every end is seen within `endCheckMs` of it (default 250). */
  readonly v2?: { readonly endCheckMs?: number; readonly streamSilenceMs?: number; readonly cancelVerifyMs?: readonly number[] };
}

/** Validates {@link ComfyClientOptions}. */
export const ComfyClientOptionsSchema = z
  .object({
    url: z.union([z.string().min(1), z.instanceof(URL)]),
    clientId: z.string().min(1).max(256).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    logger: z.custom<Logger>((value) => typeof (value as Logger | undefined)?.child === 'function', 'expected a pino logger').optional(),
    stall: z.object({ warnAfterMs: z.number().positive() }).strict().optional(),
    timeoutMs: z.number().positive().optional(),
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
    WebSocket: z.custom<WebSocketConstructor>(isFunction, 'expected a WebSocket constructor').optional(),
    fetch: z.custom<typeof fetch>(isFunction, 'expected a fetch function').optional(),
    scheduler: z
      .custom<SchedulerLike>((value) => isFunction((value as SchedulerLike | undefined)?.schedule) && isFunction((value as SchedulerLike | undefined)?.now), 'expected an RxJS scheduler')
      .optional(),
    lingerMs: z.number().nonnegative().optional(),
    openTimeoutMs: z.number().positive().optional(),
    pingIntervalMs: z.number().nonnegative().optional(),
    requestTimeoutMs: z.number().positive().optional(),
    retry: RetryOptionsSchema.optional(),
    validate: z.boolean().optional(),
    api: z.enum(['native', 'v2', 'auto']).optional(),
    apiKey: z.string().min(1).optional(),
    v2: z
      .object({
        endCheckMs: z.number().positive(),
        streamSilenceMs: z.number().positive(),
        cancelVerifyMs: z.array(z.number().nonnegative()),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
true satisfies SameShape<ComfyClientOptions, z.input<typeof ComfyClientOptionsSchema>>;

/** The API a client speaks to its server (see `ComfyClientOptions.api`). */
export type ComfyApi = 'native' | 'v2';

/** Where a prompt stands on its server (see `ComfyClient.promptState`). */
export type PromptState = 'queued' | 'running' | 'finished' | 'unknown';

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
  /** The API as configured (`auto` until asked). */
  readonly api: ComfyApi | 'auto';
  /** The API the server speaks: `api`, or the answer of `/api/v2/health` (asked once). */
  private readonly surface$: Observable<ComfyApi>;
  private readonly v2: V2Surface;
  private readonly v2Http: V2Http;
  readonly #apiKey: string | undefined;
  /**
   * Input files on this server: placed through the native routes, or as assets on the Comfy API v2
   * (for `auto`, the native placer; runs and `upload` use the one of the detected API), remembered
   * (see `InputPlacer`).
   */
  readonly inputFiles: InputPlacer;
  private readonly nativeInputs: InputPlacer;
  private readonly v2Inputs: InputPlacer;

  constructor(options: ComfyClientOptions) {
    const parsed = ComfyClientOptionsSchema.safeParse(options);
    if (!parsed.success) throw new ComfyOptionsError(`Invalid ComfyClient options: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
    const opts = parsed.data;
    // sub-components tag their own `component`: they get the untagged library logger, so no record carries two
    const lib = libLogger(opts.logger);
    const logger = lib.child({ component: 'client' });
    const scheduler = opts.scheduler ?? asyncScheduler;
    this.clientId = opts.clientId ?? randomUUID();
    this.api = opts.api ?? 'native';
    this.#apiKey = opts.apiKey;
    const v2Http = (this.v2Http = new V2Http({ url: opts.url, apiKey: opts.apiKey, headers: opts.headers, requestTimeoutMs: opts.requestTimeoutMs, fetch: opts.fetch, logger: lib, scheduler, retry: opts.retry }));
    let resolved: ComfyApi | undefined = this.api === 'auto' ? undefined : this.api;
    this.http = new ComfyHttp({
      url: opts.url,
      headers: opts.headers,
      requestTimeoutMs: opts.requestTimeoutMs,
      fetch: opts.fetch,
      logger: lib,
      scheduler,
      retry: opts.retry,
      contentHeaders: (url) => (resolved === 'v2' ? v2Http.headersFor(url) : new URL(url).origin === v2Http.endpoint.base.origin ? { ...v2Http.endpoint.authHeaders, ...opts.headers } : {}),
    });
    this.surface$ =
      this.api === 'auto'
        ? detectApi(v2Http, logger).pipe(
            tap((api) => (resolved = api)),
            shareReplay({ bufferSize: 1, refCount: false }),
          )
        : of(this.api);
    this.v2 = new V2Surface({
      http: v2Http,
      scheduler,
      logger,
      newPromptId: randomUUID,
      timing: {
        ...DEFAULT_FOLLOW_TIMING,
        ...(opts.v2?.endCheckMs ? { endCheckMs: opts.v2.endCheckMs } : {}),
        ...(opts.v2?.streamSilenceMs ? { streamSilenceMs: opts.v2.streamSilenceMs } : {}),
        stallWarnAfterMs: opts.stall?.warnAfterMs ?? DEFAULT_STALL_WARN_MS,
      },
      timeoutMs: opts.timeoutMs,
      retry: retryPolicy(opts.retry),
      partnerKey: () => this.#apiKey,
      ...(opts.v2?.cancelVerifyMs ? { cancelVerifyMs: opts.v2.cancelVerifyMs } : {}),
    });
    this.url = displayUrl(this.http.endpoint.base);
    const router = new PromptRouter();
    const wsUrl = this.http.endpoint.ws(this.clientId);
    const reconnect: BackoffPolicy = { ...DEFAULT_RECONNECT, ...opts.reconnect };
    this.hub = new SocketHub({
      connect: () =>
        connectSocket({
          url: wsUrl,
          headers: { ...this.http.endpoint.authHeaders, ...opts.headers },
          logger: lib,
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
      logger: lib,
      scheduler,
    });
    // A v2 server has no socket: these never emit there (a pool sees its queue as empty).
    this.messages$ = this.onSurface(() => this.hub.messages$, () => NEVER);
    this.connection$ = this.onSurface(() => this.hub.connection$, () => NEVER);
    this.queueRemaining$ = this.messages$.pipe(
      filter((message): message is StatusMessage => message.type === 'status'),
      map((message) => message.data.status?.exec_info.queue_remaining),
      filter((remaining): remaining is number => remaining !== undefined),
    );
    this.objectInfo = new ObjectInfoCache(() => fetchServerIndex(this.http));
    this.conversionLog = lib.child({ component: 'convert' });
    this.validateByDefault = opts.validate ?? false;
    this.nativeInputs = new InputPlacer(nativeInputSurface(this.http, this.url));
    this.v2Inputs = new InputPlacer(v2InputSurface(v2Http, this.url));
    this.inputFiles = this.api === 'v2' ? this.v2Inputs : this.nativeInputs;
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
    return this.onSurface(
      () => this.runOn((prompt, runOptions) => runPrompt(this.deps, prompt, withPartnerKey(runOptions, this.#apiKey)), this.nativeInputs, workflow, options),
      () => this.runOn((prompt, runOptions) => this.v2.run(prompt, runOptions), this.v2Inputs, workflow, options),
    );
  }

  /** `run` on one surface: UI workflows converted, input files placed, prompts validated when asked, then `runner`. */
  private runOn(
    runner: (prompt: unknown, options: RunOptions) => Observable<PromptEvent>,
    placer: InputPlacer,
    workflow: Workflow | Record<string, unknown>,
    options: RunOptions,
  ): Observable<PromptEvent> {
    const validate = options.validate ?? this.validateByDefault;
    const ui = isUiWorkflow(workflow);
    const files = options.inputs !== undefined || (!ui && hasInputFiles(workflow));
    if (!validate && !ui && !files && !embeddedUiWorkflow(options)) return runner(workflow, options);
    const prompt$: Observable<{ prompt: unknown; options: RunOptions }> = ui
      ? convertWithServer(this.objectInfo, workflow).pipe(
          tap(({ warnings }) => this.logConversion(warnings)),
          map(({ prompt }) => ({ prompt, options: withEmbeddedWorkflow(options, workflow) })),
        )
      : of({ prompt: workflow, options });
    // The embedded UI workflow (if any) gets the values the run changed, so its files re-run as this prompt.
    const post = (prompt: unknown, given: RunOptions, placed?: ReadonlySet<string>): Observable<PromptEvent> =>
      withReproducibleWorkflow(this.objectInfo, prompt, given, this.conversionLog).pipe(
        switchMap((runOptions) =>
          validate
            ? validateWithServer(this.objectInfo, prompt, runOptions.partialExecutionTargets, placed).pipe(switchMap(() => runner(prompt, runOptions)))
            : runner(prompt, runOptions),
        ),
      );
    return prompt$.pipe(
      switchMap(({ prompt, options: runOptions }) =>
        files || (isPlainObject(prompt) && hasInputFiles(prompt)) ? runWithInputs(placer, prompt as Record<string, unknown>, runOptions, post) : post(prompt, runOptions),
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
    if (this.api !== 'auto') return uploadInput(this.api === 'v2' ? this.v2Inputs : this.nativeInputs, source, options);
    return this.surface$.pipe(switchMap((api) => uploadInput(api === 'v2' ? this.v2Inputs : this.nativeInputs, source, options)));
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
    return this.onSurface(
      () => watchPrompt(this.deps, promptId, options),
      () => this.v2.watch(promptId, options),
    );
  }

  /**
   * Cancels a prompt (queued or running, by its prompt id; on v2 also by job id) and looks at it
   * again until it stopped (about 3 s at most): the answer says whether it really did
   * (`stopped`) and how (`state`). On the native server: `POST /queue {delete}` and a targeted
   * `POST /interrupt`; on v2: `POST /api/v2/jobs/{id}/cancel` (comfy-api-proxy over ComfyUI 0.8.0
   * answers it without stopping anything: `{ stopped: false, state: 'running' }`).
   */
  cancel(promptId: string): Observable<CancelResult> {
    return this.onSurface(
      () => cancelNativePrompt(promptId, { deleteFromQueue: (ids) => this.http.deleteFromQueue(ids), interrupt: (id) => this.http.interrupt(id), queue$: defer(() => this.http.queue()), history: (id) => this.http.history(id), scheduler: this.deps.scheduler }),
      () => this.v2.cancel(promptId),
    );
  }

  /** One cheap request proving the server answers: `/system_stats` (native), `/api/v2/health` (v2). */
  ping(): Observable<unknown> {
    return this.onSurface<unknown>(
      () => this.http.withRetry({ maxAttempts: 0 }).systemStats(),
      () => this.v2Http.health(),
    );
  }

  /**
   * Where a prompt stands on the server (by prompt id; on v2 also by job id): `queued`, `running`,
   * `finished` (succeeded, failed or cancelled), or `unknown` (the server does not have it; a
   * native server is asked twice, `recheckDelayMs` apart).
   */
  promptState(promptId: string): Observable<PromptState> {
    return this.onSurface(
      () =>
        reconcilePrompt(promptId, { queue$: defer(() => this.http.queue()), history: (id) => this.http.history(id), recheckDelayMs: this.deps.recheckDelayMs, scheduler: this.deps.scheduler }).pipe(
          map((verdict): PromptState => (verdict.kind === 'pending' ? 'queued' : verdict.kind === 'lost' ? 'unknown' : verdict.kind)),
        ),
      () => this.v2.state(promptId),
    );
  }

  /** The API the server speaks (`api`, or what `auto` found: asked once per client). */
  resolveApi(): Observable<ComfyApi> {
    return this.surface$;
  }

  /** `native(...)` or `v2(...)` by the server's API (an `auto` client asks first). */
  private onSurface<T>(native: () => Observable<T>, v2: () => Observable<T>): Observable<T> {
    if (this.api === 'native') return defer(native);
    if (this.api === 'v2') return defer(v2);
    return this.surface$.pipe(switchMap((api) => (api === 'v2' ? v2() : native())));
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
    return this.connection$.subscribe({ error: () => undefined }); // a v2 server has no socket: nothing is held
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
