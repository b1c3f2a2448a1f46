import { type Observable, filter, map } from 'rxjs';
import type { ReconnectNotice } from '../operators/reconnectWithBackoff';
import type { ConnectionEvent } from '../transport/socketHub';
import type { PromptSignal } from './signals';

/** The shared socket is open (its first `status` with `sid` arrived): a prompt may be posted, or must be checked again. */
export const isOpen = (event: ConnectionEvent): boolean => event.kind === 'open';

/** The `reconnecting` event of one wait of the shared socket before it reconnects. */
export function reconnectingSignal(event: ReconnectNotice): PromptSignal {
  return { type: 'reconnecting', attempt: event.attempt, delayMs: event.delayMs };
}

/** A `reconnecting` event for each wait of the shared socket before it reconnects. */
export function reconnectingSignals(connection$: Observable<ConnectionEvent>): Observable<PromptSignal> {
  return connection$.pipe(
    filter((event): event is ReconnectNotice => event.kind === 'reconnecting'),
    map(reconnectingSignal),
  );
}
