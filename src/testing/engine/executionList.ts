import type { Workflow } from '../../protocol';

/** An input value that is a link: `[source_node_id, output_index]`. */
export function isLink(value: unknown): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/**
 * ComfyUI's `ExecutionList` (comfy_execution/graph.py): the nodes still to run, which of them
 * block which, and the "UX friendly" pick among the ready ones: an output node first, then a node
 * feeding an output node, then one two links away, else the first ready node in insertion order.
 * Cached sources neither get added nor block their consumers.
 */
export class ExecutionList {
  private readonly pending = new Map<string, true>();
  private readonly blockCount = new Map<string, number>();
  private readonly blocking = new Map<string, Set<string>>();

  constructor(
    private readonly prompt: Workflow,
    private readonly isOutput: (nodeId: string) => boolean,
    private readonly isCached: (nodeId: string) => boolean,
  ) {}

  /** Adds a node and, depth first (last input first, like ComfyUI's stack), its uncached sources. */
  addNode(nodeId: string): void {
    const stack = [nodeId];
    const links: [string, string][] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (this.pending.has(id)) continue;
      this.pending.set(id, true);
      this.blockCount.set(id, 0);
      this.blocking.set(id, new Set());
      for (const value of Object.values(this.prompt[id]?.inputs ?? {})) {
        if (!isLink(value)) continue;
        if (!this.isCached(value[0])) stack.push(value[0]);
        links.push([value[0], id]);
      }
    }
    for (const [from, to] of links) {
      if (this.isCached(from)) continue;
      const blocked = this.blocking.get(from) as Set<string>;
      if (!blocked.has(to)) {
        blocked.add(to);
        this.blockCount.set(to, (this.blockCount.get(to) ?? 0) + 1);
      }
    }
  }

  isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /**
   * The next node to run, or `undefined` when nodes remain but none is ready (a dependency cycle).
   */
  next(): string | undefined {
    const ready: string[] = [];
    for (const id of this.pending.keys()) if (this.blockCount.get(id) === 0) ready.push(id);
    if (ready.length === 0) return undefined;
    const feeds = (id: string) => this.blocking.get(id) ?? new Set<string>();
    return (
      ready.find((id) => this.isOutput(id)) ??
      ready.find((id) => [...feeds(id)].some((to) => this.isOutput(to))) ??
      ready.find((id) => [...feeds(id)].some((to) => [...feeds(to)].some((to2) => this.isOutput(to2)))) ??
      ready[0]
    );
  }

  /** Marks a node done: its consumers lose one blocker. */
  complete(nodeId: string): void {
    this.pending.delete(nodeId);
    for (const to of this.blocking.get(nodeId) ?? []) this.blockCount.set(to, (this.blockCount.get(to) ?? 1) - 1);
  }

  /** Pending node ids (the blame list of a dependency cycle). */
  remaining(): string[] {
    return [...this.pending.keys()];
  }
}
