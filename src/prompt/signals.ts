import type { HistoryEntry } from '../protocol/api';
import type { PromptEvent } from './events';

/**
 * The end of a prompt as the live messages or a reconciliation saw it. `success` may carry the
 * history entry already read (reconciliation); otherwise `/history` is read to get the outputs.
 */
export type PromptOutcome = { readonly kind: 'success'; readonly entry?: HistoryEntry } | { readonly kind: 'failed'; readonly error: Error };

/**
 * Internal stream item of a prompt: a public event, or its end. `final` is false for
 * `execution_success`, which the server sends before it writes the history entry; the
 * `executing null` that follows the write is final.
 */
export type PromptSignal = PromptEvent | { readonly type: 'end'; readonly outcome: PromptOutcome; readonly final: boolean };

export const isEnd = (signal: PromptSignal): signal is Extract<PromptSignal, { type: 'end' }> => signal.type === 'end';
export const isFinalEnd = (signal: PromptSignal): signal is Extract<PromptSignal, { type: 'end' }> => signal.type === 'end' && signal.final;
export const isEvent = (signal: PromptSignal): signal is PromptEvent => signal.type !== 'end';
