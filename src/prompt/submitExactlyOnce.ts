import { type Observable, type SchedulerLike, catchError, concatMap, defer, of, throwError, timer } from 'rxjs';
import { ComfyConnectionError, ComfyHttpError, ComfyRetriesExhaustedError } from '../errors';
import type { Logger } from '../log';
import type { PromptResponse } from '../protocol/api';
import { transientWait } from '../transport/retryPolicy';

/** How {@link submitExactlyOnce} re-posts. */
export interface ExactlyOnceOptions {
  /** Asks the server whether it has the prompt (see `locatePrompt`): its answer, or `undefined`. */
  readonly locate: () => Observable<PromptResponse | undefined>;
  /** POSTs at most (1 + the retry policy's `maxAttempts`). */
  readonly maxPosts: number;
  readonly scheduler: SchedulerLike;
  readonly log: () => Logger;
}

/**
 * Posts a prompt so that the server accepts it once, although answers get lost (issue 10, item 2).
 * A POST that fails with no usable answer (a reset, a timeout, a 429 or 5xx from the server or a
 * proxy: `transientWait`) is never re-posted blindly: the server is first asked for the prompt by
 * its id (ours). Found pending, running or finished, its answer stands for the lost one; not found,
 * the prompt is posted again, up to `maxPosts` POSTs in all, then `ComfyRetriesExhaustedError`. A 400
 * (`ComfyValidationError`) or any other error ends it at once. The time between POSTs is the
 * lookup's own (a prompt found nowhere is looked for twice, `recheckDelayMs` apart), after the
 * `Retry-After` of a 429 or 503 when the server sent one.
 * ```text
 * post:    -#           # = the answer was lost after the server queued the prompt
 * locate:   -f|         f = found: { prompt_id, number, node_errors: {} }
 * result:  --f|         one POST
 *
 * post:    -#  -r|      the first POST never reached the server (a 502 from the proxy)
 * locate:   -u|         u = undefined: the server does not have it
 * result:  -----r|      two POSTs
 * ```
 * @param post Makes one `POST /prompt` (each subscription posts).
 * @example submitExactlyOnce(() => http.queuePrompt(body), { locate: () => locatePrompt(id, sources), maxPosts: 6, scheduler, log })
 */
export function submitExactlyOnce(post: () => Observable<PromptResponse>, options: ExactlyOnceOptions): Observable<PromptResponse> {
  return defer(() => {
    const startedAt = options.scheduler.now();
    const attempt = (posts: number): Observable<PromptResponse> =>
      defer(post).pipe(
        catchError((error: unknown) => {
          const waitMs = transientWait(error);
          if (waitMs === undefined) return throwError(() => error);
          options.log().debug({ err: error, posts, waitMs }, 'POST /prompt gave no answer: asking the server whether it has the prompt');
          return timer(waitMs, options.scheduler).pipe(
            concatMap(() => options.locate()),
            concatMap((found) => {
              if (found) {
                options.log().debug({ posts }, 'the server has the prompt: not posted again');
                return of(found);
              }
              if (posts >= options.maxPosts) {
                return throwError(() => new ComfyRetriesExhaustedError('POST', urlOf(error), posts - 1, options.scheduler.now() - startedAt, 'attempts', error));
              }
              options.log().debug({ posts }, 'the server does not have the prompt: posting it again');
              return attempt(posts + 1);
            }),
          );
        }),
      );
    return attempt(1);
  });
}

function urlOf(error: unknown): string {
  return error instanceof ComfyConnectionError || error instanceof ComfyHttpError ? error.url : 'prompt';
}
