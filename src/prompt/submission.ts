import { AsyncSubject, type Observable, concatMap } from 'rxjs';
import type { Logger } from '../log';
import { cancelOnServer } from './cancelOnServer';
import type { PromptResponse } from '../protocol/api';
import type { PromptHttp } from './promptDeps';
import type { IdentifiedPromptRequest } from './promptRequest';
import { type ExactlyOnceOptions, submitExactlyOnce } from './submitExactlyOnce';

/** One prompt's `POST /prompt`, made at most once, and its cancellation on the server. */
export interface Submission {
  /**
   * Posts the prompt on the first call; every call returns the server's answer (replayed once it
   * came). The POST runs on a subscription of its own: unsubscribing does not abort it, so a
   * cancel can follow it.
   */
  post(): Observable<PromptResponse>;
  /**
   * Cancels the prompt on the server if it was posted: once the POST has answered, with
   * `POST /api/jobs/{id}/cancel` where the server has it, else removes it if pending
   * (`POST /queue {delete}`), then interrupts it if running (`POST /interrupt {prompt_id}`,
   * targeted: never another client's prompt); see {@link cancelOnServer}. Does nothing when it
   * was never posted.
   */
  cancel(): void;
}

/**
 * The submission of one prompt (docs/protocol.md rules 1 and 6).
 * @param http The REST calls it makes.
 * @param body The `POST /prompt` body (see `promptRequest`).
 * @param log The prompt's logger (made on first use).
 * @param resubmit When given, a POST whose answer is lost is followed by a lookup and, only when
 *   the server lacks the prompt, posted again (see {@link submitExactlyOnce}); without, posted once.
 * @example const submission = promptSubmission(http, body, log); open$.pipe(concatMap(() => submission.post()))
 */
export function promptSubmission(
  http: Pick<PromptHttp, 'queuePrompt' | 'deleteFromQueue' | 'interrupt' | 'cancelJob'>,
  body: IdentifiedPromptRequest,
  log: () => Logger,
  resubmit?: Omit<ExactlyOnceOptions, 'log'>,
): Submission {
  return new PromptSubmission(http, body, log, resubmit);
}

/** A class, not closures: one is made per prompt, on the hot path. */
class PromptSubmission implements Submission {
  private answer: AsyncSubject<PromptResponse> | undefined;

  constructor(
    private readonly http: Pick<PromptHttp, 'queuePrompt' | 'deleteFromQueue' | 'interrupt' | 'cancelJob'>,
    private readonly body: IdentifiedPromptRequest,
    private readonly log: () => Logger,
    private readonly resubmit: Omit<ExactlyOnceOptions, 'log'> | undefined,
  ) {}

  post(): Observable<PromptResponse> {
    if (!this.answer) {
      this.answer = new AsyncSubject<PromptResponse>();
      const { http, body, resubmit } = this;
      const request$ = resubmit ? submitExactlyOnce(() => http.queuePrompt(body), { ...resubmit, log: this.log }) : http.queuePrompt(body);
      request$.subscribe(this.answer);
    }
    return this.answer;
  }

  cancel(): void {
    const { http, body, log } = this;
    this.answer?.pipe(concatMap(() => cancelOnServer(http, body.prompt_id))).subscribe({
      complete: () => log().info('cancelled on the server'),
      error: (err: unknown) => log().debug({ err }, 'cancel skipped (the prompt was not accepted, or the server is unreachable)'),
    });
  }
}
