import type { Observable, SchedulerLike } from 'rxjs';
import type { Logger } from '../log';
import type { RetryBudget } from '../operators/retryTransient';
import type { HistoryEntry, PromptRequest, PromptResponse, QueueResponse } from '../protocol/api';
import type { ComfyMessage } from '../protocol/messages';
import type { JobCancel, JobLookup } from '../transport/http';
import type { ConnectionEvent } from '../transport/socketHub';

/** The REST calls a prompt needs (a subset of `ComfyHttp`; tests pass cold fakes). */
export interface PromptHttp {
  queuePrompt(body: PromptRequest): Observable<PromptResponse>;
  history(promptId: string): Observable<HistoryEntry | undefined>;
  deleteFromQueue(promptIds: readonly string[]): Observable<void>;
  interrupt(promptId?: string): Observable<void>;
  /** `POST /api/jobs/{id}/cancel` (`ComfyHttp.cancelJob`): used to cancel when present, with the routes above as the fallback. */
  cancelJob?(promptId: string): Observable<JobCancel>;
  /** `GET /api/jobs/{id}` (`ComfyHttp.job`): used for reconciliation when present. */
  job?(promptId: string): Observable<JobLookup>;
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
  /**
   * The client's retry policy, for POSTs whose answer is lost: each loss is followed by a lookup,
   * and a re-post (after the policy's backoff, at most `maxAttempts`, within `budgetMs`) only when
   * the server lacks the prompt (see `submitExactlyOnce`). Absent: posted once, a loss fails the run.
   */
  readonly retry?: RetryBudget;
}
