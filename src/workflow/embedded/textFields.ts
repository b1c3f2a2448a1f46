import { MAX_OTHER_KEYS } from './limits';

/** The two keys ComfyUI's savers write that a reader returns. */
export type WorkflowKey = 'workflow' | 'prompt';

/** Maps a metadata key to `workflow`/`prompt`, case-insensitively (`PROMPT` in Matroska, `Workflow:` from third-party savers). */
export function workflowKeyOf(key: string): WorkflowKey | undefined {
  const lower = key.trim().toLowerCase();
  return lower === 'workflow' || lower === 'prompt' ? lower : undefined;
}

/**
 * Collects the text values a container reader finds. The first value of each key wins; other keys
 * are remembered (a few) for the "no workflow" message.
 */
export class TextFields {
  private readonly values = new Map<WorkflowKey, string>();
  private readonly others: string[] = [];

  /** Whether a key is one this collector still wants (read its value only then). */
  wants(key: string): boolean {
    const name = workflowKeyOf(key);
    return name !== undefined && !this.values.has(name);
  }

  /** Records a key seen with its value; `value` is called only when the key is wanted. */
  add(key: string, value: () => string): void {
    const name = workflowKeyOf(key);
    if (name === undefined) {
      if (this.others.length < MAX_OTHER_KEYS && !this.others.includes(key)) this.others.push(key);
      return;
    }
    if (!this.values.has(name)) this.values.set(name, value());
  }

  get(key: WorkflowKey): string | undefined {
    return this.values.get(key);
  }

  /** Both keys found: a reader may stop. */
  get complete(): boolean {
    return this.values.size === 2;
  }

  get found(): boolean {
    return this.values.size > 0;
  }

  get otherKeys(): readonly string[] {
    return this.others;
  }
}
