import type { QueueItem, QueueResponse, Workflow } from '../../protocol';

/** A validated prompt waiting for (or being run by) the worker. */
export interface QueuedPrompt {
  readonly number: number;
  readonly promptId: string;
  /** The prompt after validation (literal values coerced). */
  readonly prompt: Workflow;
  /** `extra_data` as stored: the request's, plus `client_id` and `create_time`. */
  readonly extraData: Record<string, unknown>;
  /** Validated output node ids to execute. */
  readonly outputs: readonly string[];
  /** `extra_data.client_id`: where execution messages go (`undefined`: nobody / broadcast). */
  readonly clientId?: string;
}

/** The wire tuple `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export function queueTuple(item: QueuedPrompt): QueueItem {
  return [item.number, item.promptId, item.prompt, item.extraData, [...item.outputs]];
}

const before = (a: QueuedPrompt, b: QueuedPrompt) => a.number < b.number || (a.number === b.number && a.promptId < b.promptId);

/**
 * ComfyUI's `PromptQueue` with one worker: a min-heap on `[number, prompt_id]` (served in heap
 * order by `GET /queue`, i.e. not sorted), the running item, and the submission counter.
 */
export class PromptQueue {
  private heap: QueuedPrompt[] = [];
  private runningItem: QueuedPrompt | undefined;
  private counter = 0;

  /** Number for a POST without `number`: the counter (negated with `front`); the counter always advances. */
  nextNumber(front: boolean): number {
    const number = this.counter++;
    return front ? -number : number;
  }

  /** Adds a validated prompt to the pending heap. */
  put(item: QueuedPrompt): void {
    this.heap.push(item);
    this.siftUp(this.heap.length - 1);
  }

  /** Moves the first pending item to running. */
  take(): QueuedPrompt | undefined {
    if (this.heap.length === 0) return undefined;
    const first = this.heap[0] as QueuedPrompt;
    const last = this.heap.pop() as QueuedPrompt;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    this.runningItem = first;
    return first;
  }

  /** The running item is done (or vanished). */
  finishRunning(): void {
    this.runningItem = undefined;
  }

  get running(): QueuedPrompt | undefined {
    return this.runningItem;
  }

  /** Pending + running: `status.exec_info.queue_remaining`. */
  remaining(): number {
    return this.heap.length + (this.runningItem ? 1 : 0);
  }

  get pendingCount(): number {
    return this.heap.length;
  }

  /** Removes pending items by id; returns the ids actually removed. */
  deletePending(promptIds: readonly string[]): string[] {
    const wanted = new Set(promptIds);
    const removed: string[] = [];
    for (const id of wanted) {
      const index = this.heap.findIndex((item) => item.promptId === id); // ComfyUI deletes the first match
      if (index < 0) continue;
      this.heap.splice(index, 1);
      removed.push(id);
    }
    if (removed.length > 0) this.heapify();
    return removed;
  }

  /**
   * Where a prompt stands: `running`, `pending` with the number of prompts ahead of it (the
   * running one included), or `undefined` when it is neither.
   */
  locate(promptId: string): { readonly state: 'running' } | { readonly state: 'pending'; readonly ahead: number } | undefined {
    if (this.runningItem?.promptId === promptId) return { state: 'running' };
    const item = this.heap.find((candidate) => candidate.promptId === promptId);
    if (!item) return undefined;
    let ahead = this.runningItem ? 1 : 0;
    for (const other of this.heap) if (before(other, item)) ahead++;
    return { state: 'pending', ahead };
  }

  /** Removes every pending item; returns their ids. */
  clearPending(): string[] {
    const ids = this.heap.map((item) => item.promptId);
    this.heap = [];
    return ids;
  }

  /** `GET /queue` */
  snapshot(): QueueResponse {
    return {
      queue_running: this.runningItem ? [queueTuple(this.runningItem)] : [],
      queue_pending: this.heap.map(queueTuple),
    };
  }

  /** A process restart: nothing pending, nothing running, the counter back at 0. */
  reset(): void {
    this.heap = [];
    this.runningItem = undefined;
    this.counter = 0;
  }

  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as QueuedPrompt, heap[parent] as QueuedPrompt)) break;
      [heap[i], heap[parent]] = [heap[parent] as QueuedPrompt, heap[i] as QueuedPrompt];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as QueuedPrompt, heap[smallest] as QueuedPrompt)) smallest = left;
      if (right < heap.length && before(heap[right] as QueuedPrompt, heap[smallest] as QueuedPrompt)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as QueuedPrompt, heap[i] as QueuedPrompt];
      i = smallest;
    }
  }
}
