import { type Observable, asyncScheduler, concatMap, defaultIfEmpty, defer, filter, from, map, take } from 'rxjs';
import { reconcilePrompt } from '../prompt/reconcile';
import type { TargetServer } from './workerTarget';

/** Wait before a prompt found on no server is looked for once more (reconcilePrompt's confirmation). */
export const FIND_RECHECK_MS = 250;

/**
 * The server (of `servers`, in order) that has this prompt queued, running or in its history, or
 * undefined when none does. For a job whose prompt id was recorded but not its server (a pool
 * worker that died between choosing the server and recording it). Errors when a server cannot be
 * asked: the prompt may be there, so it must not be submitted again.
 */
export function findPrompt(servers: readonly TargetServer[], promptId: string): Observable<TargetServer | undefined> {
  return from(servers).pipe(
    concatMap((server) =>
      server.state ? server.state(promptId).pipe(map((state) => (state === 'unknown' ? undefined : server))) : reconcilePrompt(promptId, {
        queue$: defer(() => server.http.queue()),
        history: (id) => server.http.history(id),
        recheckDelayMs: FIND_RECHECK_MS,
        scheduler: asyncScheduler,
      }).pipe(map((verdict) => (verdict.kind === 'lost' ? undefined : server))),
    ),
    filter((server): server is TargetServer => server !== undefined),
    take(1),
    defaultIfEmpty(undefined),
  );
}
