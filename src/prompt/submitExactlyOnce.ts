import { type Observable, type SchedulerLike, catchError, concatMap, defer, of, throwError, timer } from 'rxjs';
import { ComfyConnectionError, ComfyHttpError, ComfyRetriesExhaustedError } from '../errors';
import type { Logger } from '../log';
import { type RetryBudget, retryTransient } from '../operators/retryTransient';
import type { PromptResponse } from '../protocol/api';
import { transientWait } from '../transport/retryPolicy';

/** How {@link submitExactlyOnce} re-posts. */
export interface ExactlyOnceOptions {
  /** Asks the server whether it has the prompt (see `locatePrompt`): its answer, or `undefined`. */
  readonly locate: () => Observable<PromptResponse | undefined>;
  /**
   * The client's retry policy: at most `maxAttempts` re-posts, each after the policy's backoff, none
   * starting later than `budgetMs` after the first POST (`{ maxAttempts: 0 }`: posted once).
   */
  readonly policy: RetryBudget;
  readonly scheduler: SchedulerLike;
  readonly log: () => Logger;
  /** Jitter source, `Math.random` by default. */
  readonly random?: () => number;
}

/** A POST whose answer was lost, for a prompt the server does not have: worth posting again. */
class NotOnServer {
  constructor(readonly lost: unknown) {}
}

/**
 * Posts a prompt so that the server accepts it once, although answers get lost (docs/protocol.md rule 9).
 * A POST that fails with no usable answer (a reset, a timeout, a 429 or 5xx from the server or a
 * proxy: `transientWait`) is never re-posted blindly: after the `Retry-After` of a 429 or 503 when
 * the server sent one, the server is asked for the prompt by its id (ours). Found pending, running
 * or finished, its answer stands for the lost one; not found, the prompt is posted again after the
 * policy's backoff (`retryTransient`), at most `maxAttempts` times within `budgetMs`, then
 * `ComfyRetriesExhaustedError` with the last loss as its cause (with no retry made, the loss itself).
 * A 400 (`ComfyValidationError`), any other error, or a lookup that fails, ends it at once.
 * ```text
 * post:    -#            # = the answer was lost after the server queued the prompt
 * locate:   -f|          f = found: { prompt_id, number, node_errors: {} }
 * result:  --f|          one POST
 *
 * post:    -#   -r|      the first POST never reached the server (a 502 from the proxy)
 * locate:   -u|          u = undefined: the server does not have it
 * result:  ------r|      two POSTs, the second after the backoff (initialDelayMs = 3)
 * ```
 * @param post Makes one `POST /prompt` (each subscription posts).
 * @example submitExactlyOnce(() => http.queuePrompt(body), { locate: () => locatePrompt(id, sources), policy: retryPolicy(), scheduler, log })
 */
export function submitExactlyOnce(post: () => Observable<PromptResponse>, options: ExactlyOnceOptions): Observable<PromptResponse> {
  const { locate, policy, scheduler, log, random } = options;
  const onePost = defer(post).pipe(
    catchError((error: unknown) => {
      const waitMs = transientWait(error);
      if (waitMs === undefined) return throwError(() => error);
      log().debug({ err: error, waitMs }, 'POST /prompt gave no answer: asking the server whether it has the prompt');
      return timer(waitMs, scheduler).pipe(
        concatMap(() => locate()),
        concatMap((found) => {
          if (!found) return throwError(() => new NotOnServer(error));
          log().debug({ number: found.number }, 'the server has the prompt: not posted again');
          return of(found);
        }),
      );
    }),
  );
  return onePost.pipe(
    retryTransient<PromptResponse>({
      policy,
      transient: (error) => (error instanceof NotOnServer ? 0 : undefined),
      giveUp: (error, retries, elapsedMs, stop) => {
        const lost = (error as NotOnServer).lost;
        return new ComfyRetriesExhaustedError('POST', urlOf(lost), retries, elapsedMs, stop, lost);
      },
      onRetry: ({ attempt, delayMs }) => log().debug({ attempt, delayMs }, 'the server does not have the prompt: posting it again'),
      scheduler,
      ...(random ? { random } : {}),
    }),
    catchError((error: unknown) => throwError(() => (error instanceof NotOnServer ? error.lost : error))), // no retry was allowed
  );
}

function urlOf(error: unknown): string {
  return error instanceof ComfyConnectionError || error instanceof ComfyHttpError ? error.url : 'prompt';
}
