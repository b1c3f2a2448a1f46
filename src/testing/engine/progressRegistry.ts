import type { NodeProgressState, ProgressStateMessage } from '../../protocol';

/**
 * ComfyUI's per-prompt progress registry: every node touched in the run (`running` from its
 * start, `finished` with value = max), sent in full as `progress_state` on every change.
 */
export class ProgressRegistry {
  private readonly nodes = new Map<string, NodeProgressState>();

  constructor(private readonly promptId: string) {}

  private entry(nodeId: string): NodeProgressState {
    let entry = this.nodes.get(nodeId);
    if (!entry) {
      entry = {
        value: 0,
        max: 1,
        state: 'pending',
        node_id: nodeId,
        prompt_id: this.promptId,
        display_node_id: nodeId,
        parent_node_id: null,
        real_node_id: nodeId,
      };
      this.nodes.set(nodeId, entry);
    }
    return entry;
  }

  start(nodeId: string): ProgressStateMessage {
    const entry = this.entry(nodeId);
    entry.state = 'running';
    entry.value = 0;
    entry.max = 1;
    return this.snapshot();
  }

  update(nodeId: string, value: number, max: number): ProgressStateMessage {
    const entry = this.entry(nodeId);
    entry.state = 'running';
    entry.max = max;
    entry.value = Math.min(value, max);
    return this.snapshot();
  }

  finish(nodeId: string): ProgressStateMessage {
    const entry = this.entry(nodeId);
    entry.state = 'finished';
    entry.value = entry.max;
    return this.snapshot();
  }

  /** The message: a copy, so later changes do not alter what was sent. */
  private snapshot(): ProgressStateMessage {
    const nodes: Record<string, NodeProgressState> = {};
    for (const [id, entry] of this.nodes) if (entry.state !== 'pending') nodes[id] = { ...entry };
    return { type: 'progress_state', data: { prompt_id: this.promptId, nodes } };
  }
}
