import {
  AsyncSubject,
  EMPTY,
  type Observable,
  type SchedulerLike,
  catchError,
  concat,
  concatMap,
  connect,
  defer,
  exhaustMap,
  filter,
  finalize,
  first,
  from,
  map,
  merge,
  of,
  share,
  shareReplay,
  switchMap,
  takeWhile,
  tap,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import { HISTORY_REREAD_DELAYS_MS, SUCCESS_TO_END_GRACE_MS } from '../constants';
import { ComfyExecutionError, ComfyInterruptedError, ComfyPromptLostError, ComfyProtocolError, ComfyTimeoutError, ComfyValidationError } from '../errors';
import type { Logger } from '../log';
import { afterFirst } from '../operators/afterFirst';
import { formatIssues } from '../util/formatIssues';
import { deadline } from '../operators/deadline';
import { silenceTicks } from '../operators/silenceTicks';
import { type HistoryEntry, type PromptRequest, type PromptResponse, type QueueResponse, Workflow, historyOutcome } from '../protocol/api';
import type { ComfyMessage } from '../protocol/messages';
import type { ReconnectNotice } from '../operators/reconnectWithBackoff';
import type { ConnectionEvent } from '../transport/socketHub';
import type { PromptEvent } from './events';
import { type ReconcileSources, type ReconcileVerdict, reconcilePrompt } from './reconcile';
import { type PromptOutcome, type PromptSignal, isEnd, isEvent, isFinalEnd } from './signals';
import { toPromptSignals } from './toPromptSignals';

/** The REST calls a prompt needs (a subset of `ComfyHttp`; tests pass cold fakes). */
export interface PromptHttp {
  queuePrompt(body: PromptRequest): Observable<PromptResponse>;
  history(promptId: string): Observable<HistoryEntry | undefined>;
  deleteFromQueue(promptIds: readonly string[]): Observable<void>;
  interrupt(promptId?: string): Observable<void>;
}

/** What `runPrompt` needs from its client. */
export interface PromptDeps {
  readonly clientId: string;
  /** The shared socket's connection events; subscribing holds the socket. */
  readonly connection$: Observable<ConnectionEvent>;
  /** One prompt's messages; subscribing registers it with the router. */
  attach(promptId: string): Observable<ComfyMessage>;
  readonly http: PromptHttp;
  /** A fresh `/queue` snapshot (concurrent readers may share one request). */
  readonly queue$: Observable<QueueResponse>;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  newPromptId(): string;
  readonly stallWarnAfterMs: number;
  readonly recheckDelayMs: number;
  readonly timeoutMs?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** Use this prompt id instead of a fresh UUID (must be unique on the server). */
  promptId?: string;
  /** Stored with the job (`extra_pnginfo`, ...). `client_id` is always ours. */
  extraData?: Record<string, unknown>;
  /** Explicit queue priority (lower runs first). */
  number?: number;
  /** Queue before normal items. */
  front?: boolean;
  /** Only these output nodes are executed. */
  partialExecutionTargets?: string[];
  /** Overall budget in ms: past it the prompt fails with `ComfyTimeoutError` and is cancelled. */
  timeoutMs?: number;
  /** Silence (ms) before a `stalled` warning and a reconciliation; overrides the client's. */
  stallWarnAfterMs?: number;
}

type Phase = 'connecting' | 'submitting' | 'pending' | 'running' | 'settled';
type Check = { readonly reason: 'stall'; readonly silentMs: number } | { readonly reason: 'reconnect' };

const isOpen = (event: ConnectionEvent): boolean => event.kind === 'open';

/**
 * One prompt's life as a cold Observable of {@link PromptEvent} (design.md, rules 1-6).
 *
 * Subscribing makes the prompt id, attaches to the prompt's message stream, waits for the shared
 * socket to be open, then posts the workflow. Events that arrive before the POST answer are held
 * and follow `queued`. The stream ends with `done` (outputs from `/history`) or a typed error.
 * Silence while running emits `stalled` and reconciles the prompt with `/queue` + `/history`; so
 * does every reconnect. Unsubscribing (or the `timeoutMs` budget) before the end cancels the
 * prompt on the server: `POST /queue {delete}`, then a targeted `POST /interrupt {prompt_id}`,
 * which never touches another client's prompt.
 */
export function runPrompt(deps: PromptDeps, workflow: unknown, options: RunOptions = {}): Observable<PromptEvent> {
  return defer(() => {
    const checked = Workflow.safeParse(workflow);
    if (!checked.success) {
      const where = formatIssues(checked.error.issues);
      return throwError(() => new ComfyValidationError(`Invalid workflow: ${where}`, 'invalid_workflow', {}, where, checked.error.issues));
    }
    const graph = checked.data;
    const promptId = options.promptId ?? deps.newPromptId();
    const { scheduler } = deps;
    let logger: Logger | undefined; // made on first use: most prompts never log
    const log = (): Logger => (logger ??= deps.logger.child({ promptId }));
    const startedAt = scheduler.now();
    const warnAfterMs = options.stallWarnAfterMs ?? deps.stallWarnAfterMs;
    const timeoutMs = options.timeoutMs ?? deps.timeoutMs;
    let phase: Phase = 'connecting';
    let submission: AsyncSubject<PromptResponse> | undefined;

    const body: PromptRequest = {
      prompt: workflow as Record<string, unknown>,
      client_id: deps.clientId,
      prompt_id: promptId,
      ...(options.extraData ? { extra_data: options.extraData } : {}),
      ...(options.number !== undefined ? { number: options.number } : {}),
      ...(options.front ? { front: true } : {}),
      ...(options.partialExecutionTargets ? { partial_execution_targets: options.partialExecutionTargets } : {}),
    };

    /** Posts once, on a subscription of its own: unsubscribing does not abort the POST, so a cancel can follow it. */
    const submit = (): Observable<PromptResponse> => {
      phase = 'submitting';
      submission = new AsyncSubject<PromptResponse>();
      deps.http.queuePrompt(body).subscribe(submission);
      return submission;
    };

    const reconcileSources: ReconcileSources = { queue$: deps.queue$, history: (id) => deps.http.history(id), recheckDelayMs: deps.recheckDelayMs, scheduler };
    const reconcile = (): Observable<PromptSignal> =>
      reconcilePrompt(promptId, reconcileSources).pipe(
        concatMap((verdict) => verdictSignals(verdict)),
        catchError((err: unknown) => {
          log().warn({ err }, 'reconciliation failed; will retry at the next check');
          return EMPTY;
        }),
      );

    const verdictSignals = (verdict: ReconcileVerdict): Observable<PromptSignal> => {
      log().debug({ verdict: verdict.kind }, 'reconciled');
      switch (verdict.kind) {
        case 'pending':
          return of({ type: 'waiting', ahead: verdict.ahead });
        case 'running':
          return phase === 'pending' ? of({ type: 'started', promptId }) : EMPTY;
        case 'finished':
          return of({ type: 'end', outcome: { kind: 'success', entry: verdict.entry }, final: true });
        case 'lost':
          return of({ type: 'end', outcome: { kind: 'failed', error: new ComfyPromptLostError(promptId) }, final: true });
      }
    };

    const checkSignals = (check: Check): Observable<PromptSignal> => {
      const notice: PromptSignal[] = [];
      if (check.reason === 'reconnect') notice.push({ type: 'reconnected' });
      else if (phase === 'running') notice.push({ type: 'stalled', silentMs: check.silentMs });
      if (check.reason === 'stall') log().warn({ silentMs: check.silentMs, phase }, 'prompt silent');
      return concat(of(...notice), reconcile());
    };

    const finish = (outcome: PromptOutcome): Observable<PromptEvent> => {
      if (outcome.kind === 'failed') return throwError(() => outcome.error);
      const entry$ = outcome.entry ? of(outcome.entry) : readHistory(promptId);
      return entry$.pipe(
        concatMap((entry) => (entry ? of(entry) : reconcileToEntry())),
        map((entry): PromptEvent => {
          const result = historyOutcome(entry);
          if (result.kind === 'error') {
            const e = result.error;
            throw new ComfyExecutionError(promptId, e.node_id, e.node_type, e.exception_message, e.exception_type, e.traceback);
          }
          if (result.kind === 'interrupted') throw new ComfyInterruptedError(promptId, result.interrupted.node_id, result.interrupted.node_type);
          return { type: 'done', promptId, outputs: entry.outputs, elapsedMs: scheduler.now() - startedAt };
        }),
      );
    };

    /** `/history` right after the end marker, re-read briefly while the server has not written it yet. */
    const readHistory = (id: string): Observable<HistoryEntry | undefined> =>
      deps.http.history(id).pipe(
        concatMap((entry) =>
          entry
            ? of(entry)
            : from(HISTORY_REREAD_DELAYS_MS).pipe(
                concatMap((delay) => timer(delay, scheduler).pipe(concatMap(() => deps.http.history(id)))),
                first((found): found is HistoryEntry => found !== undefined, undefined),
              ),
        ),
      );

    /** The end was announced but history stays empty: ask the queue, and give up only when the prompt is nowhere. */
    const reconcileToEntry = (): Observable<HistoryEntry> =>
      reconcilePrompt(promptId, reconcileSources).pipe(
        map((verdict) => {
          if (verdict.kind === 'finished') return verdict.entry;
          if (verdict.kind === 'lost') throw new ComfyPromptLostError(promptId);
          throw new ComfyProtocolError(`The server ended prompt ${promptId} but still lists it as ${verdict.kind}`);
        }),
      );

    const track = (signal: PromptSignal): void => {
      if (signal.type === 'queued') phase = 'pending';
      else if (signal.type === 'end') phase = 'settled';
      else if (phase === 'pending' && (signal.type === 'started' || signal.type === 'executing' || signal.type === 'progress' || signal.type === 'cached')) {
        phase = 'running';
      }
    };

    const life$ = deps.connection$.pipe(
      connect((connection$) => {
        const queued$ = connection$.pipe(
          first(isOpen),
          concatMap(submit),
          map((response): PromptSignal => ({ type: 'queued', promptId, number: response.number, nodeErrors: response.node_errors })),
          shareReplay({ bufferSize: 1, refCount: true }),
        );
        const inbox$ = deps.attach(promptId).pipe(share());
        const live$ = inbox$.pipe(
          toPromptSignals(promptId, (node) => graph[node]?.class_type),
          afterFirst(queued$),
        );
        const checks$ = queued$.pipe(
          switchMap(() =>
            merge(
              inbox$.pipe(
                silenceTicks(warnAfterMs, scheduler),
                map((silentMs): Check => ({ reason: 'stall', silentMs })),
              ),
              connection$.pipe(
                filter(isOpen),
                map((): Check => ({ reason: 'reconnect' })),
              ),
            ),
          ),
          exhaustMap(checkSignals),
        );
        const reconnecting$ = connection$.pipe(
          filter((event): event is ReconnectNotice => event.kind === 'reconnecting'),
          map((event): PromptSignal => ({ type: 'reconnecting', attempt: event.attempt, delayMs: event.delayMs })),
        );
        return merge(live$, checks$, reconnecting$);
      }),
      tap(track),
      connect((signals$) =>
        merge(
          signals$.pipe(takeWhile(isEvent)),
          signals$.pipe(
            first(isEnd),
            // `execution_success` comes just before the history write; wait briefly for the final marker.
            concatMap((end) =>
              end.final ? of(end) : signals$.pipe(first(isFinalEnd), timeout({ first: SUCCESS_TO_END_GRACE_MS, with: () => of(end), scheduler })),
            ),
            concatMap((end) => finish(end.outcome)),
          ),
        ),
      ),
    );

    const bounded$ = timeoutMs === undefined ? life$ : life$.pipe(deadline(timeoutMs, () => new ComfyTimeoutError(promptId, timeoutMs), scheduler));
    return bounded$.pipe(
      finalize(() => {
        if (phase === 'settled' || !submission) return;
        cancelOnServer(deps, promptId, submission, log());
      }),
    );
  });
}

/** Removes the prompt if pending, then interrupts it if running (targeted: never another client's). */
function cancelOnServer(deps: PromptDeps, promptId: string, submission: Observable<PromptResponse>, log: Logger): void {
  submission.pipe(concatMap(() => concat(deps.http.deleteFromQueue([promptId]), deps.http.interrupt(promptId)))).subscribe({
    complete: () => log.info('cancelled on the server'),
    error: (err: unknown) => log.debug({ err }, 'cancel skipped (the prompt was not accepted, or the server is unreachable)'),
  });
}
