import { EMPTY, type Observable, type OperatorFunction, type SchedulerLike, catchError, concat, exhaustMap, filter, map, merge, of, tap } from 'rxjs';
import type { Logger } from '../log';
import { silenceTicks } from '../operators/silenceTicks';
import type { ConnectionEvent } from '../transport/socketHub';
import { isOpen } from './connectionSignals';
import type { ReconcileVerdict } from './reconcile';

/** Why a followed prompt is checked against the server (docs/protocol.md rule 4). */
export type Check = { readonly reason: 'stall'; readonly silentMs: number } | { readonly reason: 'reconnect' };

/** What a check brings: the check itself (at once), then the server's verdict (none if it could not be read). */
export type CheckFinding = { readonly type: 'check'; readonly check: Check } | { readonly type: 'verdict'; readonly verdict: ReconcileVerdict };

/**
 * When a followed prompt must be checked: after every `warnAfterMs` of silence on its messages
 * (`stall`, with the silence so far), and each time the shared socket opens again (`reconnect`:
 * nothing is replayed after a reconnect). Subscribe once the prompt is known to the server.
 * @param inbox$ The prompt's messages (only their timing counts).
 * @param connection$ The shared socket's connection events, from now on.
 */
export function checkTriggers(inbox$: Observable<unknown>, connection$: Observable<ConnectionEvent>, warnAfterMs: number, scheduler: SchedulerLike): Observable<Check> {
  return merge(
    inbox$.pipe(
      silenceTicks({ periodMs: warnAfterMs, scheduler }),
      map((silentMs): Check => ({ reason: 'stall', silentMs })),
    ),
    connection$.pipe(
      filter(isOpen),
      map((): Check => ({ reason: 'reconnect' })),
    ),
  );
}

/**
 * Runs each check: emits it as a finding, then reconciles the prompt and emits the verdict. One
 * check at a time: checks that come while one runs are dropped (it answers them). A failed
 * reconciliation is logged and waits for the next check.
 * @param reconcile Asks the server where the prompt stands (`reconcilePrompt` over `/queue` and `/history`, or any other source).
 * @param log The prompt's logger (made on first use).
 * @example checkTriggers(inbox$, connection$, 30_000, scheduler).pipe(runChecks(() => reconcilePrompt(id, sources), log))
 */
export function runChecks(reconcile: () => Observable<ReconcileVerdict>, log: () => Logger): OperatorFunction<Check, CheckFinding> {
  return exhaustMap((check) => runCheck(check, reconcile, log));
}

/**
 * One check (the rule {@link runChecks} applies to each, and the prompt's state machine too): the
 * check itself at once, then the server's verdict; a failed reconciliation is logged and gives none.
 * ```text
 * reconcile: ---(p|)
 * result:    s--(p|)     s = the check, p = its verdict
 * ```
 * @example runCheck({ reason: 'reconnect' }, () => reconcilePrompt(id, sources), log).subscribe(apply)
 */
export function runCheck(check: Check, reconcile: () => Observable<ReconcileVerdict>, log: () => Logger): Observable<CheckFinding> {
  if (check.reason === 'stall') log().warn({ silentMs: check.silentMs }, 'prompt silent');
  const verdicts$ = reconcile().pipe(
    tap((verdict) => log().debug({ verdict: verdict.kind }, 'reconciled')),
    map((verdict): CheckFinding => ({ type: 'verdict', verdict })),
    catchError((err: unknown) => {
      log().warn({ err }, 'reconciliation failed; will retry at the next check');
      return EMPTY;
    }),
  );
  return concat(of<CheckFinding>({ type: 'check', check }), verdicts$);
}
