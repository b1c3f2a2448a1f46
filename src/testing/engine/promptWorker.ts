import type { Logger } from 'pino';
import type { FakeServerEmitter } from '../fakeServerEvents';
import type { HistoryStore } from '../server/historyStore';
import type { PromptQueue, QueuedPrompt } from '../server/promptQueue';
import type { WsEndpoint } from '../server/wsEndpoint';
import type { OutputCache } from './outputCache';
import { PromptRun, type RunDeps, type RunResult } from './promptRun';
import { RunAborted } from './pythonExceptions';

/** What the worker needs besides the queue. */
export interface WorkerDeps extends Omit<RunDeps, 'takeInterrupt'> {
  readonly queue: PromptQueue;
  readonly history: HistoryStore;
  readonly cache: OutputCache;
  readonly hub: WsEndpoint;
  readonly events: FakeServerEmitter;
  readonly logger: Logger;
}

/**
 * ComfyUI's single prompt worker: takes the next prompt from the heap, runs it, writes history
 * before the final `status` and `executing null`, then applies a pending `/free`. Also owns the
 * global interrupt flag and the `holdQueue` knob.
 */
export class PromptWorker {
  private current: PromptRun | undefined;
  private interruptFlag = false;
  private holds = 0;
  private scheduled = false;
  private freeAfterRun = false;
  private stopped = false;

  private readonly runDeps: RunDeps;

  constructor(private readonly deps: WorkerDeps) {
    this.runDeps = { ...deps, takeInterrupt: () => this.takeInterrupt() };
  }

  /** The running prompt's run, if any. */
  get running(): PromptRun | undefined {
    return this.current;
  }

  /** Queues a validated prompt: `status` broadcast (before the HTTP answer), then a pickup soon. */
  enqueue(item: QueuedPrompt): void {
    this.deps.queue.put(item);
    this.broadcastStatus();
    this.deps.logger.debug({ promptId: item.promptId, number: item.number }, 'prompt queued');
    this.deps.events.emit('prompt-queued', { promptId: item.promptId, clientId: item.clientId, number: item.number });
    this.schedule();
  }

  /** `status` broadcast with the current `queue_remaining`. */
  broadcastStatus(): void {
    this.deps.hub.send(null, { type: 'status', data: { status: { exec_info: { queue_remaining: this.deps.queue.remaining() } } } });
  }

  /** The reconnect hint for a (re)connecting sid. */
  reconnectHint(sid: string): string | undefined {
    const run = this.current;
    return run && run.targetClient === sid ? run.lastNodeId : undefined;
  }

  /**
   * `POST /interrupt`: sets the global flag (untargeted), or only when `promptId` is running.
   * @returns Whether a running prompt was flagged.
   */
  interrupt(promptId?: string): boolean {
    const run = this.current;
    if (promptId !== undefined && run?.promptId !== promptId) return false;
    this.interruptFlag = true;
    run?.wakeForInterrupt();
    return run !== undefined;
  }

  /** `POST /free {free_memory: true}`: clears the cache now when idle, else after the running prompt. */
  freeMemory(): void {
    if (this.current) this.freeAfterRun = true;
    else this.deps.cache.clear();
  }

  /** Stops taking prompts until the returned release is called (each hold needs its release). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.schedule();
    };
  }

  /** A process restart: the running prompt vanishes, the queue, history, cache and counter are lost. */
  restart(): void {
    this.current?.abort();
    this.current = undefined;
    this.interruptFlag = false;
    this.freeAfterRun = false;
    this.deps.queue.reset();
    this.deps.history.clear();
    this.deps.cache.clear();
  }

  /** Server stop: abandon everything and take nothing more. */
  stop(): void {
    this.stopped = true;
    this.current?.abort();
    this.current = undefined;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pickUp();
    });
  }

  private pickUp(): void {
    if (this.current || this.holds > 0 || this.stopped) return;
    const item = this.deps.queue.take();
    if (!item) return;
    this.broadcastStatus();
    this.deps.events.emit('prompt-started', { promptId: item.promptId });
    this.interruptFlag = false;
    const run = new PromptRun(item, this.runDeps);
    this.current = run;
    run.execute().then(
      (result) => this.finish(run, result),
      (error: unknown) => {
        if (!(error instanceof RunAborted)) this.deps.logger.error({ err: error, promptId: item.promptId }, 'fake run crashed');
      },
    );
  }

  private takeInterrupt(): boolean {
    if (!this.interruptFlag) return false;
    this.interruptFlag = false;
    return true;
  }

  private finish(run: PromptRun, result: RunResult): void {
    if (run !== this.current) return; // restarted meanwhile: the run vanished
    const { promptId, targetClient } = run;
    this.deps.history.set(promptId, result.entry);
    this.deps.queue.finishRunning();
    this.current = undefined;
    this.broadcastStatus();
    if (targetClient !== undefined) this.deps.hub.send(targetClient, { type: 'executing', data: { node: null, prompt_id: promptId } });
    if (this.freeAfterRun) {
      this.freeAfterRun = false;
      this.deps.cache.clear();
    }
    this.deps.logger.debug({ promptId, status: result.status }, 'prompt finished');
    this.deps.events.emit('prompt-finished', { promptId, status: result.status });
    this.schedule();
  }
}
