import { type Observable, EMPTY, concat, concatMap, defer } from 'rxjs';
import type { PromptHttp } from './promptDeps';

/**
 * Cancels one prompt on its server, whatever its state: `POST /api/jobs/{id}/cancel` where the
 * server has it (one atomic call: no race between "still pending" and "now running"), else the
 * 0.8.0 routes, `POST /queue {delete}` (pending) then `POST /interrupt {prompt_id}` (running,
 * targeted: never another client's prompt). Completes once the server answered.
 * ```text
 * cancelJob:  -a|              a = answered: nothing else is sent
 * result:     --|
 * cancelJob:  -u|              u = unsupported (404 / 405): the 0.8.0 routes follow
 * delete:       --|
 * interrupt:      -|
 * result:     -----|
 * ```
 * @example cancelOnServer(client.http, promptId).subscribe()
 */
export function cancelOnServer(http: Pick<PromptHttp, 'cancelJob' | 'deleteFromQueue' | 'interrupt'>, promptId: string): Observable<void> {
  const legacy = defer(() => concat(http.deleteFromQueue([promptId]), http.interrupt(promptId)));
  if (!http.cancelJob) return legacy;
  return http.cancelJob(promptId).pipe(concatMap((answer) => (answer.kind === 'unsupported' ? legacy : EMPTY)));
}
