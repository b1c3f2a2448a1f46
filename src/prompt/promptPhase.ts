import { type OperatorFunction, concatMap, scan } from 'rxjs';
import { ComfyPromptLostError } from '../errors';
import type { CheckFinding } from './checks';
import type { PromptSignal } from './signals';

/** Where a followed prompt stands, as far as its signals tell: `pending` until it is seen running. */
export type Phase = 'pending' | 'running';

/** The phase after one signal (pure): a pending prompt runs once it starts, executes, progresses or hits the cache. */
export function nextPhase(phase: Phase, signal: PromptSignal): Phase {
  const runs = signal.type === 'started' || signal.type === 'executing' || signal.type === 'progress' || signal.type === 'cached';
  return phase === 'pending' && runs ? 'running' : phase;
}

/**
 * What a check's finding means in a phase (pure): a reconnect is announced; a stall only while
 * running (waiting in the queue is not a stall); a verdict becomes `waiting`, `started` (if not
 * seen yet), or the prompt's end (finished with its history entry, or lost).
 */
export function findingSignals(promptId: string, phase: Phase, finding: CheckFinding): readonly PromptSignal[] {
  if (finding.type === 'check') {
    const { check } = finding;
    if (check.reason === 'reconnect') return [{ type: 'reconnected' }];
    return phase === 'running' ? [{ type: 'stalled', silentMs: check.silentMs }] : [];
  }
  const { verdict } = finding;
  switch (verdict.kind) {
    case 'pending':
      return [{ type: 'waiting', ahead: verdict.ahead }];
    case 'running':
      return phase === 'pending' ? [{ type: 'started', promptId }] : [];
    case 'finished':
      return [{ type: 'end', outcome: { kind: 'success', entry: verdict.entry }, final: true }];
    case 'lost':
      return [{ type: 'end', outcome: { kind: 'failed', error: new ComfyPromptLostError(promptId) }, final: true }];
  }
}

interface Step {
  readonly phase: Phase;
  readonly signals: readonly PromptSignal[];
}

/**
 * Folds a prompt's live signals and check findings into its signals, in order, with the phase as
 * the state of the fold ({@link nextPhase} over every signal let through, {@link findingSignals}
 * for each finding). Nothing outside the fold reads or writes the phase.
 * ```text
 * source: q-x-S-V      q = queued, x = executing, S = stall check, V = verdict running
 * result: q-x-s--      s = stalled (running since x); V adds nothing: started was seen
 * ```
 * @param promptId The prompt followed (ids in the signals made here).
 * @example merge(live$, checks$).pipe(withPhase(promptId))
 */
export function withPhase(promptId: string): OperatorFunction<PromptSignal | CheckFinding, PromptSignal> {
  const isFinding = (input: PromptSignal | CheckFinding): input is CheckFinding => input.type === 'check' || input.type === 'verdict';
  return (source) =>
    source.pipe(
      scan(({ phase }: Step, input: PromptSignal | CheckFinding): Step => {
        const signals = isFinding(input) ? findingSignals(promptId, phase, input) : [input];
        return { phase: signals.reduce(nextPhase, phase), signals };
      }, { phase: 'pending', signals: [] }),
      concatMap((step) => step.signals),
    );
}
