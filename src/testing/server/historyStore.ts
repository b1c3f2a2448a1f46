import type { HistoryEntry } from '../../protocol';

/** ComfyUI keeps at most this many history entries (oldest evicted). */
export const MAXIMUM_HISTORY_SIZE = 10_000;

/** `GET /history`: finished prompts in completion order (a re-used prompt id keeps its first position). */
export class HistoryStore {
  private readonly entries = new Map<string, HistoryEntry>();

  set(promptId: string, entry: HistoryEntry): void {
    if (this.entries.size > MAXIMUM_HISTORY_SIZE) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(promptId, entry);
  }

  get(promptId: string): HistoryEntry | undefined {
    return this.entries.get(promptId);
  }

  delete(promptId: string): void {
    this.entries.delete(promptId);
  }

  clear(): void {
    this.entries.clear();
  }

  /** `get_history(max_items, offset)`: `max_items` alone gives the newest N; `offset` skips the oldest. */
  list(maxItems?: number, offset = -1): Record<string, HistoryEntry> {
    const out: Record<string, HistoryEntry> = {};
    let start = offset;
    if (start < 0 && maxItems !== undefined) start = this.entries.size - maxItems;
    let index = 0;
    let count = 0;
    for (const [id, entry] of this.entries) {
      if (index >= start) {
        out[id] = entry;
        count++;
        if (maxItems !== undefined && count >= maxItems) break;
      }
      index++;
    }
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}
