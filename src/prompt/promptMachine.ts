import { Observable, type Observer, type Subscriber, type Subscription, type Unsubscribable } from 'rxjs';
import { SUCCESS_TO_END_GRACE_MS } from '../constants';
import { ComfyTimeoutError } from '../errors';
import type { Logger } from '../log';
import type { HistoryEntry, PromptResponse, Workflow } from '../protocol/api';
import type { ComfyMessage } from '../protocol/messages';
import type { ConnectionEvent } from '../transport/socketHub';
import { cancelOnServer } from './cancelOnServer';
import { type Check, type CheckFinding, runCheck } from './checks';
import { reconnectingSignal } from './connectionSignals';
import type { DoneEvent, PromptEvent } from './events';
import { doneFromHistory, finishAfterEmptyRead } from './historyResult';
import type { PromptDeps } from './promptDeps';
import { type Phase, findingSignals, nextPhase } from './promptPhase';
import { type PromptSources, promptSources } from './promptSources';
import { type MessageReading, type SignalSink, messageReading, readMessage } from './readMessage';
import type { ReconcileVerdict } from './reconcile';
import type { PromptOutcome, PromptSignal } from './signals';
import type { Submission } from './submission';

/** What the first `open` of the shared socket starts. */
export type PromptStart =
  /** `run`: the `POST /prompt` (its answer is `queued`); the prompt's messages are held until then (docs/protocol.md rule 1). Leaving early cancels it. */
  | { readonly kind: 'post'; readonly submission: Submission }
  /** `watch`: a first reconciliation (the server's truth); its failure fails the stream. Messages flow at once. */
  | { readonly kind: 'reconcile'; readonly cancelOnAbandon: boolean };

/** Everything one followed prompt's state machine needs. */
export interface PromptLifeSpec {
  readonly deps: PromptDeps;
  readonly promptId: string;
  readonly start: PromptStart;
  /** The submitted workflow (the class_type of `executing` events); none for `watch`. */
  readonly graph: Workflow | undefined;
  /** Silence (ms) while followed before a `stall` check. */
  readonly stallWarnAfterMs: number;
  /** Overall budget from the subscription; past it the stream fails with `ComfyTimeoutError`. */
  readonly timeoutMs: number | undefined;
  /** The prompt's logger (made on first use). */
  readonly log: () => Logger;
}

/**
 * One followed prompt's life (`run` and `watch`) as a cold Observable of {@link PromptEvent}: one
 * state machine per subscription, with one subscription to the router (`deps.attach`), one to the
 * connection events, and one timer slot (stall ticks, the grace after a non-final end, the overall
 * budget), instead of a pipeline of operators built per prompt. Every input (a message, a
 * connection event, the POST's answer, a check's finding, the slot firing) becomes signals by the
 * pure rules of the prompt layer (`readMessage`, `findingSignals`), and one reducer folds them
 * (`nextPhase`, the end, the result from `/history`). Leaving before the prompt's end (unsubscribed,
 * failed, timed out) cancels it on the server (`run`; `watch` only when asked).
 * ```text
 * connection: o-----------        o = open (the POST goes out)
 * POST:       --(r|)              r = accepted
 * inbox:      -s---x--n           s = execution_start, x = executing, n = executing null
 * history:            -(h|)
 * result:     --(qt)x--(d|)       q = queued (then the held `started`), d = done
 * ```
 * @example followPrompt({ deps, promptId, start: { kind: 'post', submission }, graph, stallWarnAfterMs: 30_000, timeoutMs: undefined, log })
 */
export function followPrompt(spec: PromptLifeSpec): Observable<PromptEvent> {
  return new Observable<PromptEvent>((subscriber) => new PromptMachine(spec, subscriber).start());
}

// Stages of a followed prompt, in order (numbers: stages only move forward).
const OPENING = 0; // waiting for the socket to be open
const STARTING = 1; // POST (or first reconciliation) in flight
const FOLLOWING = 2; // known to the server: live events, stall and reconnect checks
const ENDING = 3; // a non-final end was seen: waiting for the final one within the grace
const FINISHING = 4; // the end is known: reading the result
const CLOSED = 5;
type Stage = typeof OPENING | typeof STARTING | typeof FOLLOWING | typeof ENDING | typeof FINISHING | typeof CLOSED;

type EndSignal = Extract<PromptSignal, { type: 'end' }>;

/**
 * The state machine. Its inputs arrive through small observer objects (below) rather than
 * closures: one machine is made per prompt, and everything it allocates is on the hot path.
 */
class PromptMachine implements SignalSink, Unsubscribable {
  private stage: Stage = OPENING;
  private phase: Phase = 'pending';
  /** `run`: messages that came before the POST's answer. */
  private held: ComfyMessage[] | undefined;
  private readonly reading: MessageReading;
  /** An end signal passed: leaving is no longer abandoning. */
  private ended = false;
  private firstEnd: EndSignal | undefined;
  private readonly startedAt: number;
  private sourcesMade: PromptSources | undefined;

  // The timer slot: one scheduled action, due at the earliest of the deadline, the stall tick and the grace.
  private slot: Subscription | undefined;
  private slotDue = Infinity;
  private readonly deadlineAt: number;
  private graceDue = Infinity;
  private lastMessageAt = 0;
  /** Stall ticks since the last message. */
  private ticks = 0;

  private connection: Subscription | undefined;
  private inbox: Subscription | undefined;
  private starting: Subscription | undefined;
  /** The check running (true while it starts), false when none. */
  private checking: Subscription | boolean = false;
  private result: Subscription | undefined;

  constructor(
    private readonly spec: PromptLifeSpec,
    private readonly subscriber: Subscriber<PromptEvent>,
  ) {
    const { graph, promptId, deps } = spec;
    this.reading = messageReading(promptId, graph ? (node) => graph[node]?.class_type : noClassType);
    if (spec.start.kind === 'post') this.held = [];
    this.startedAt = deps.scheduler.now();
    this.deadlineAt = spec.timeoutMs === undefined ? Infinity : this.startedAt + spec.timeoutMs;
  }

  /** Subscribes in the order the rules need: the budget, the router (listen before posting), then the socket. */
  start(): this {
    this.arm();
    const { deps, promptId } = this.spec;
    this.inbox = deps.attach(promptId).subscribe(new InboxObserver(this));
    if (this.closed()) return this;
    this.connection = deps.connection$.subscribe(new ConnectionObserver(this));
    return this;
  }

  /** Teardown: drops every subscription and the timer; cancels on the server when the prompt had not ended. */
  unsubscribe(): void {
    this.stage = CLOSED;
    this.slot?.unsubscribe();
    this.connection?.unsubscribe();
    this.inbox?.unsubscribe();
    this.starting?.unsubscribe();
    if (typeof this.checking !== 'boolean') this.checking.unsubscribe();
    this.result?.unsubscribe();
    if (!this.ended) this.abandon();
  }

  // --- inputs

  onMessage(message: ComfyMessage): void {
    if (this.stage >= FINISHING) return;
    if (this.held) {
      this.held.push(message);
      return;
    }
    this.lastMessageAt = this.spec.deps.scheduler.now();
    this.ticks = 0;
    readMessage(this.reading, message, this);
  }

  onConnection(event: ConnectionEvent): void {
    if (event.kind === 'open') {
      if (this.stage === OPENING) this.begin();
      else if (this.stage === FOLLOWING) this.check({ reason: 'reconnect' });
    } else {
      this.signal(reconnectingSignal(event));
    }
  }

  /** An error of the socket or the router: fails the prompt unless its end is known (its result is being read). */
  onError(err: unknown): void {
    if (this.stage >= FINISHING) return;
    this.fail(err);
  }

  private begin(): void {
    this.stage = STARTING;
    const { start } = this.spec;
    const starting =
      start.kind === 'post'
        ? start.submission.post().subscribe(new StartObserver(this))
        : this.sources().reconcile().subscribe(new StartObserver(this));
    if (this.closed()) starting.unsubscribe();
    else this.starting = starting;
  }

  /** What the start brought: the POST's answer (`run`) or the first verdict (`watch`). */
  started(answer: PromptResponse | ReconcileVerdict): void {
    if ('kind' in answer) this.finding({ type: 'verdict', verdict: answer });
    else this.queued(answer);
    this.follow();
  }

  /** `run`: the POST's answer. `queued`, then the messages held until now. */
  private queued(response: PromptResponse): void {
    this.signal({ type: 'queued', promptId: this.spec.promptId, number: response.number, nodeErrors: response.node_errors });
    const held = this.held ?? [];
    this.held = undefined;
    for (const message of held) this.onMessage(message);
  }

  /** Known to the server: the checks start. */
  private follow(): void {
    if (this.stage !== STARTING) return;
    this.stage = FOLLOWING;
    this.lastMessageAt = this.spec.deps.scheduler.now();
    this.ticks = 0;
    this.arm();
  }

  /** A stall or a reconnect: one at a time (one that comes while another runs is dropped: that one answers it). */
  private check(check: Check): void {
    if (this.checking !== false) return;
    this.checking = true;
    const running = runCheck(check, this.sources().reconcile, this.spec.log).subscribe(new CheckObserver(this));
    if (this.checking === true) this.checking = running;
    if (this.closed()) running.unsubscribe();
  }

  checked(): void {
    this.checking = false;
  }

  finding(finding: CheckFinding): void {
    for (const signal of findingSignals(this.spec.promptId, this.phase, finding)) this.signal(signal);
  }

  // --- the reducer

  /** Folds one signal: the phase, the end, and the events the subscriber sees (none after the first end). */
  signal(signal: PromptSignal): void {
    if (this.stage >= FINISHING) return;
    if (signal.type === 'end') {
      this.end(signal);
      return;
    }
    this.phase = nextPhase(this.phase, signal);
    if (this.stage < ENDING) this.subscriber.next(signal);
  }

  /** A final end is the end; a non-final one waits `SUCCESS_TO_END_GRACE_MS` for the final one. */
  private end(signal: EndSignal): void {
    this.ended = true;
    if (signal.final) {
      this.finish(signal.outcome);
      return;
    }
    if (this.stage === ENDING) return;
    this.stage = ENDING;
    this.firstEnd = signal;
    this.graceDue = this.spec.deps.scheduler.now() + SUCCESS_TO_END_GRACE_MS;
    this.arm();
  }

  /**
   * The end is known: a failure errors; a success becomes `done` with the outputs from `/history`
   * (one read, as the baseline does; an empty answer falls back to the re-reads of `finish`).
   */
  private finish(outcome: PromptOutcome): void {
    this.stage = FINISHING;
    this.graceDue = Infinity;
    this.arm();
    if (typeof this.checking !== 'boolean') this.checking.unsubscribe();
    if (outcome.kind === 'failed') {
      this.fail(outcome.error);
      return;
    }
    if (outcome.entry) {
      this.historyRead(outcome.entry);
      return;
    }
    const result = this.spec.deps.http.history(this.spec.promptId).subscribe(new HistoryObserver(this));
    if (this.closed()) result.unsubscribe();
    else this.result = result;
  }

  /** The entry read from `/history` (or brought by a reconciliation): `done`, or the error it records; empty: the re-reads. */
  historyRead(entry: HistoryEntry | undefined): void {
    if (this.closed()) return;
    const { promptId, deps } = this.spec;
    if (!entry) {
      const rest = finishAfterEmptyRead(promptId, this.sources().history, this.startedAt).subscribe(new ResultObserver(this));
      if (this.closed()) rest.unsubscribe();
      else this.result = rest;
      return;
    }
    let done: DoneEvent;
    try {
      done = doneFromHistory(promptId, entry, deps.scheduler.now() - this.startedAt);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.done(done);
  }

  done(done: DoneEvent): void {
    if (this.closed()) return;
    this.subscriber.next(done);
    this.complete();
  }

  // --- the end of the stream

  /** A method, not a field test: the stage moves under TypeScript's narrowing (callbacks run in between). */
  private closed(): boolean {
    return this.stage === CLOSED;
  }

  fail(err: unknown): void {
    if (this.closed()) return;
    this.stage = CLOSED; // before the teardown runs: nothing may start in between
    this.subscriber.error(err);
  }

  complete(): void {
    if (this.closed()) return;
    this.stage = CLOSED;
    this.subscriber.complete();
  }

  private abandon(): void {
    const { start, deps, promptId, log } = this.spec;
    if (start.kind === 'post') {
      start.submission.cancel();
      return;
    }
    if (!start.cancelOnAbandon) return;
    cancelOnServer(deps.http, promptId).subscribe({
      complete: () => log().info('cancelled on the server'),
      error: (err: unknown) => log().debug({ err }, 'cancel skipped (the server is unreachable)'),
    });
  }

  /** Where the prompt's state and result are read (made on first use: most prompts need one `/history` read only). */
  private sources(): PromptSources {
    return (this.sourcesMade ??= promptSources(this.spec.deps, this.spec.promptId));
  }

  // --- the timer slot

  /** (Re-)arms the slot for the earliest thing due; a slot already due then is left alone. */
  private arm(): void {
    const stallDue = this.stage === FOLLOWING ? this.lastMessageAt + (this.ticks + 1) * this.spec.stallWarnAfterMs : Infinity;
    const due = Math.min(this.deadlineAt, stallDue, this.graceDue);
    if (due === this.slotDue) return;
    this.slot?.unsubscribe();
    this.slotDue = due;
    const { scheduler } = this.spec.deps;
    this.slot = due === Infinity ? undefined : scheduler.schedule(fireSlot, Math.max(0, due - scheduler.now()), this);
  }

  fire(): void {
    this.slot = undefined;
    this.slotDue = Infinity;
    const now = this.spec.deps.scheduler.now();
    if (now >= this.deadlineAt) {
      this.fail(new ComfyTimeoutError(this.spec.promptId, this.spec.timeoutMs as number));
      return;
    }
    if (this.stage === ENDING && now >= this.graceDue) {
      this.finish((this.firstEnd as EndSignal).outcome);
    } else if (this.stage === FOLLOWING && now >= this.lastMessageAt + (this.ticks + 1) * this.spec.stallWarnAfterMs) {
      this.ticks++;
      this.check({ reason: 'stall', silentMs: this.ticks * this.spec.stallWarnAfterMs });
    }
    if (!this.closed()) this.arm();
  }
}

function fireSlot(this: unknown, machine?: PromptMachine): void {
  machine?.fire();
}

const noClassType = (): undefined => undefined;

// The machine's observers: objects, not closures (no allocation of functions per prompt).

class InboxObserver implements Observer<ComfyMessage> {
  constructor(private readonly machine: PromptMachine) {}
  next(message: ComfyMessage): void {
    this.machine.onMessage(message);
  }
  error(err: unknown): void {
    this.machine.onError(err);
  }
  complete(): void {}
}

class ConnectionObserver implements Observer<ConnectionEvent> {
  constructor(private readonly machine: PromptMachine) {}
  next(event: ConnectionEvent): void {
    this.machine.onConnection(event);
  }
  error(err: unknown): void {
    this.machine.onError(err);
  }
  complete(): void {}
}

class StartObserver implements Observer<PromptResponse | ReconcileVerdict> {
  constructor(private readonly machine: PromptMachine) {}
  next(answer: PromptResponse | ReconcileVerdict): void {
    this.machine.started(answer);
  }
  error(err: unknown): void {
    this.machine.fail(err);
  }
  complete(): void {}
}

class CheckObserver implements Observer<CheckFinding> {
  constructor(private readonly machine: PromptMachine) {}
  next(finding: CheckFinding): void {
    this.machine.finding(finding);
  }
  error(): void {
    this.machine.checked(); // runCheck never errors (a failed reconciliation is logged there)
  }
  complete(): void {
    this.machine.checked();
  }
}

class HistoryObserver implements Observer<HistoryEntry | undefined> {
  constructor(private readonly machine: PromptMachine) {}
  next(entry: HistoryEntry | undefined): void {
    this.machine.historyRead(entry);
  }
  error(err: unknown): void {
    this.machine.fail(err);
  }
  complete(): void {}
}

class ResultObserver implements Observer<DoneEvent> {
  constructor(private readonly machine: PromptMachine) {}
  next(done: DoneEvent): void {
    this.machine.done(done);
  }
  error(err: unknown): void {
    this.machine.fail(err);
  }
  complete(): void {
    this.machine.complete();
  }
}
