import type { ExecutionErrorData, HistoryEntry, KnownMessage, NodeOutput } from '../../protocol';
import type { FakePromptStatus, FakeServerEmitter } from '../fakeServerEvents';
import type { NodeCatalog } from '../nodes/catalog';
import type { NodeContext, PreviewImage } from '../nodes/nodeTypes';
import type { SimValue } from '../nodes/simValues';
import type { FileStore } from '../server/fileStore';
import { queueTuple, type QueuedPrompt } from '../server/promptQueue';
import type { WsEndpoint } from '../server/wsEndpoint';
import { isPlainObject } from '../../util/isPlainObject';
import { ExecutionList, isLink } from './executionList';
import { formatInput } from './formatInput';
import type { OutputCache } from './outputCache';
import { ProgressRegistry } from './progressRegistry';
import { EXECUTION_TRACEBACK_HEAD, InterruptSignal, PyException, RunAborted } from './pythonExceptions';

/** Knobs that shape a run (read at each use, so `setNodeLatency` applies to the next node). */
export interface RunSettings {
  nodeLatencyMs(classType: string, nodeId: string): number;
  stepLatencyMs(): number;
  previews(): boolean;
}

/** What a run needs from the server. */
export interface RunDeps {
  readonly hub: WsEndpoint;
  readonly catalog: NodeCatalog;
  readonly files: FileStore;
  readonly cache: OutputCache;
  readonly events: FakeServerEmitter;
  readonly settings: RunSettings;
  /** Reads and clears the interrupt flag (ComfyUI's `throw_exception_if_processing_interrupted`). */
  readonly takeInterrupt: () => boolean;
}

/** How a run ended, and the history entry to store. */
export interface RunResult {
  readonly status: FakePromptStatus;
  readonly entry: HistoryEntry;
}

interface Sleeper {
  readonly timer: NodeJS.Timeout;
  readonly interruptible: boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

type AddMessageEvent = 'execution_start' | 'execution_cached' | 'execution_success' | 'execution_error' | 'execution_interrupted';

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | undefined)?.then === 'function';

/**
 * One prompt's execution (ComfyUI's `PromptExecutor.execute`): the message sequence of
 * docs/protocol.md §5, routed per its §2.7, and the history entry. Zero-latency runs stay
 * synchronous from start to end; `abort()` makes a run vanish without another message.
 */
export class PromptRun {
  /** The node the reconnect hint names (last `executing`), while running. */
  lastNodeId: string | undefined;
  private aborted = false;
  private readonly sleepers = new Set<Sleeper>();
  private readonly messages: [string, unknown][] = [];
  private readonly executed: string[] = [];
  private readonly uiOutputs: Record<string, NodeOutput> = {};
  private readonly values = new Map<string, readonly SimValue[]>();
  private readonly progress: ProgressRegistry;
  private readonly clientId: string | undefined;
  private currentNode: string | undefined;
  private currentInputs: Record<string, unknown> | undefined;
  private signatures: ReadonlyMap<string, string> = new Map();

  /** Per-prompt `extra_data.preview_method` (ComfyUI 0.8.0), overriding the server's `previewMethod`. */
  private readonly previews: boolean | undefined;
  /** What savers embed: the prompt and `extra_data.extra_pnginfo` (only when the request sent it). */
  private readonly fileMetadata: Readonly<Record<string, unknown>> | undefined;

  constructor(
    readonly item: QueuedPrompt,
    private readonly deps: RunDeps,
  ) {
    this.clientId = item.clientId;
    this.progress = new ProgressRegistry(item.promptId);
    const method = item.extraData.preview_method;
    this.previews = method === 'none' ? false : method === 'auto' || method === 'latent2rgb' || method === 'taesd' ? true : undefined;
    const extraPngInfo = item.extraData.extra_pnginfo;
    // As SaveImage: the prompt always, then each key of extra_pnginfo (the editor's `workflow`) when sent.
    this.fileMetadata = { prompt: item.prompt, ...(isPlainObject(extraPngInfo) ? extraPngInfo : {}) };
  }

  get promptId(): string {
    return this.item.promptId;
  }

  get targetClient(): string | undefined {
    return this.clientId;
  }

  /** Abandons the run: pending waits reject, nothing more is sent. */
  abort(): void {
    this.aborted = true;
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.reject(new RunAborted());
    }
    this.sleepers.clear();
  }

  /** Wakes interruptible waits; returns whether one took the interrupt. */
  wakeForInterrupt(): boolean {
    let woke = false;
    for (const sleeper of this.sleepers) {
      if (!sleeper.interruptible) continue;
      if (!woke && !this.deps.takeInterrupt()) return false;
      woke = true;
      clearTimeout(sleeper.timer);
      this.sleepers.delete(sleeper);
      sleeper.reject(new InterruptSignal());
    }
    return woke;
  }

  /** Runs the prompt to its end. Rejects only with {@link RunAborted}. */
  async execute(): Promise<RunResult> {
    const { item, deps } = this;
    const promptId = item.promptId;
    this.addMessage('execution_start', { prompt_id: promptId, timestamp: Date.now() });
    const env = { files: deps.files };
    const signatures = deps.cache.signatures(item.prompt, deps.catalog, env);
    this.signatures = signatures;
    deps.cache.keepOnly(signatures.values());
    const cached = new Set(Object.keys(item.prompt).filter((id) => deps.cache.get(signatures.get(id) as string) !== undefined));
    this.addMessage('execution_cached', { nodes: [...cached], prompt_id: promptId, timestamp: Date.now() });

    const list = new ExecutionList(
      item.prompt,
      (id) => deps.catalog.get(item.prompt[id]?.class_type ?? '')?.definition.output_node === true,
      (id) => cached.has(id),
    );
    for (const output of item.outputs) list.addNode(output);

    try {
      while (!list.isEmpty()) {
        const nodeId = list.next();
        if (nodeId === undefined) return this.fail(list.remaining()[0] as string, 'graph.DependencyCycleError', 'Dependency cycle detected', [], []);
        const pending = this.executeNode(nodeId, signatures.get(nodeId) as string, cached.has(nodeId));
        if (pending) await pending;
        this.checkAborted();
        list.complete(nodeId);
      }
    } catch (error) {
      if (error instanceof RunAborted || this.aborted) throw new RunAborted();
      const nodeId = this.currentNode as string;
      if (error instanceof InterruptSignal) {
        const data = { prompt_id: promptId, node_id: nodeId, node_type: this.classOf(nodeId), executed: [...this.executed], timestamp: Date.now() };
        this.addMessage('execution_interrupted', data, true);
        return this.result('interrupted');
      }
      const ex =
        error instanceof PyException
          ? error
          : new PyException(error instanceof TypeError ? 'TypeError' : 'Exception', error instanceof Error ? error.message : String(error));
      return this.fail(nodeId, ex.pyType, `${ex.text}\n`, [...EXECUTION_TRACEBACK_HEAD, ...ex.frames], this.formattedInputs());
    }
    this.addMessage('execution_success', { prompt_id: promptId, timestamp: Date.now() });
    return this.result('success');
  }

  private executeNode(nodeId: string, signature: string, isCached: boolean): Promise<void> | undefined {
    const { deps, item } = this;
    const promptId = item.promptId;
    if (isCached) {
      const entry = deps.cache.get(signature);
      if (entry) {
        this.toClient({ type: 'executed', data: { node: nodeId, display_node: nodeId, output: entry.ui ?? null, prompt_id: promptId } });
        this.toClientOrAll(this.progress.finish(nodeId));
        if (entry.ui) this.uiOutputs[nodeId] = entry.ui;
        this.values.set(nodeId, entry.outputs);
        return undefined;
      }
    }
    const classType = this.classOf(nodeId);
    this.currentNode = nodeId;
    this.currentInputs = undefined;
    this.toClientOrAll(this.progress.start(nodeId));
    if (this.clientId !== undefined) {
      this.lastNodeId = nodeId;
      this.toClient({ type: 'executing', data: { node: nodeId, display_node: nodeId, prompt_id: promptId } });
    }
    deps.events.emit('node-executing', { promptId, node: nodeId, classType });
    const inputs = this.gatherInputs(nodeId);
    if (deps.takeInterrupt()) throw new InterruptSignal();
    const behaviour = deps.catalog.get(classType);
    if (!behaviour) throw new PyException('KeyError', `'${classType}'`);
    const context = this.context(nodeId, classType);
    const finish = (result: { outputs: readonly SimValue[]; ui?: NodeOutput }) => {
      this.checkAborted();
      deps.cache.set(signature, result);
      this.values.set(nodeId, result.outputs);
      if (result.ui) {
        this.uiOutputs[nodeId] = result.ui;
        this.toClient({ type: 'executed', data: { node: nodeId, display_node: nodeId, output: result.ui, prompt_id: promptId } });
      }
      this.toClientOrAll(this.progress.finish(nodeId));
      this.executed.push(nodeId);
    };
    const waitFirst = behaviour.spreadsLatency ? undefined : context.sleep(context.latencyMs);
    if (waitFirst) {
      return waitFirst.then(async () => {
        const outcome = behaviour.run(context, inputs);
        finish(isPromise(outcome) ? await outcome : outcome);
      });
    }
    const outcome = behaviour.run(context, inputs);
    if (isPromise(outcome)) return outcome.then(finish);
    finish(outcome);
    return undefined;
  }

  private gatherInputs(nodeId: string): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(this.item.prompt[nodeId]?.inputs ?? {})) {
      inputs[name] = isLink(value) ? this.outputOf(value[0], value[1]) : value;
    }
    this.currentInputs = inputs;
    return inputs;
  }

  /** `current_inputs` of an error: input name -> [Python-looking value] (formatted only when a node fails). */
  private formattedInputs(): Record<string, unknown[]> {
    const formatted: Record<string, unknown[]> = {};
    for (const [name, value] of Object.entries(this.currentInputs ?? {})) formatted[name] = [formatInput(value)];
    return formatted;
  }

  /** A source's output slot: from this run, or from the cache for sources served from it (not re-run). */
  private outputOf(sourceId: string, slot: number): SimValue | undefined {
    let outputs = this.values.get(sourceId);
    if (!outputs) {
      const signature = this.signatures.get(sourceId);
      outputs = signature === undefined ? undefined : this.deps.cache.get(signature)?.outputs;
    }
    return outputs?.[slot < 0 ? outputs.length + slot : slot];
  }

  private context(nodeId: string, classType: string): NodeContext {
    const { settings } = this.deps;
    return {
      promptId: this.item.promptId,
      nodeId,
      classType,
      files: this.deps.files,
      latencyMs: settings.nodeLatencyMs(classType, nodeId),
      stepLatencyMs: settings.stepLatencyMs(),
      previews: this.previews ?? settings.previews(),
      fileMetadata: this.fileMetadata,
      sleep: (ms, interruptible = false) => this.sleep(ms, interruptible),
      progress: (value, max, preview) => this.reportProgress(nodeId, value, max, preview),
    };
  }

  private sleep(ms: number, interruptible: boolean): void | Promise<void> {
    this.checkAborted();
    if (interruptible && this.deps.takeInterrupt()) throw new InterruptSignal();
    if (!(ms > 0)) return undefined;
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        interruptible,
        resolve,
        reject,
      };
      this.sleepers.add(sleeper);
    });
  }

  /** The progress-bar hook: interrupt check, `progress_state`, [type 4], `progress`, [type 1]. */
  private reportProgress(nodeId: string, rawValue: number, max: number, preview: PreviewImage | undefined): void {
    this.checkAborted();
    if (this.deps.takeInterrupt()) throw new InterruptSignal();
    const promptId = this.item.promptId;
    const value = Math.min(rawValue, max);
    this.toClientOrAll(this.progress.update(nodeId, value, max));
    const hub = this.deps.hub;
    const metadataPreview = preview !== undefined && this.clientId !== undefined && hub.supportsPreviewMetadata(this.clientId);
    if (preview && metadataPreview) {
      hub.send(this.clientId as string, {
        type: 'preview_image',
        data: {
          mime: preview.mime,
          image: preview.bytes,
          metadata: { node_id: nodeId, prompt_id: promptId, display_node_id: nodeId, parent_node_id: null, real_node_id: nodeId, image_type: preview.mime },
        },
      });
    }
    this.toClientOrAll({ type: 'progress', data: { value, max, prompt_id: promptId, node: nodeId } });
    if (preview && !metadataPreview) hub.send(this.clientId ?? null, { type: 'preview_image', data: { mime: preview.mime, image: preview.bytes } });
    this.deps.events.emit('progress', { promptId, node: nodeId, value, max });
  }

  private fail(nodeId: string, exceptionType: string, message: string, traceback: string[], currentInputs: unknown): RunResult {
    const data: ExecutionErrorData = {
      prompt_id: this.item.promptId,
      node_id: nodeId,
      node_type: this.classOf(nodeId),
      executed: [...this.executed],
      exception_message: message,
      exception_type: exceptionType,
      traceback,
      current_inputs: currentInputs,
      current_outputs: Object.keys(this.item.prompt),
      timestamp: Date.now(),
    };
    this.addMessage('execution_error', data);
    return this.result('error');
  }

  private result(status: FakePromptStatus): RunResult {
    const meta: Record<string, unknown> = {};
    for (const id of Object.keys(this.uiOutputs)) meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
    const success = status === 'success';
    return {
      status,
      entry: {
        prompt: queueTuple(this.item),
        outputs: this.uiOutputs,
        status: { status_str: success ? 'success' : 'error', completed: success, messages: this.messages },
        meta,
      },
    };
  }

  /** ComfyUI's `add_message`: always recorded; sent to the client, or broadcast when asked and there is none. */
  private addMessage(event: AddMessageEvent, data: Record<string, unknown>, broadcast = false): void {
    this.messages.push([event, data]);
    if (this.clientId !== undefined || broadcast) this.send(this.clientId ?? null, { type: event, data } as KnownMessage);
  }

  private toClient(message: KnownMessage): void {
    if (this.clientId !== undefined) this.send(this.clientId, message);
  }

  private toClientOrAll(message: KnownMessage): void {
    this.send(this.clientId ?? null, message);
  }

  private send(sid: string | null, message: KnownMessage): void {
    this.checkAborted();
    this.deps.hub.send(sid, message);
  }

  private checkAborted(): void {
    if (this.aborted) throw new RunAborted();
  }

  private classOf(nodeId: string): string {
    return this.item.prompt[nodeId]?.class_type ?? '';
  }
}
