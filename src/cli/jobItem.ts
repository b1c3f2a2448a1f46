import type { BatchItem } from '../batch';

/**
 * What the CLI shows of one item of a batch (a `generate` item, one run of `run --count`): its
 * place, its label for people (`[3/8] image 1/2`) and its description when it has one.
 */
export interface JobItem {
  /** 0-based position in the batch. */
  readonly index: number;
  readonly total: number;
  /** For people, e.g. `[3/8] image 1/2`. */
  readonly label: string;
  /** The text description it draws, when there is one. */
  readonly description?: string;
}

/**
 * The {@link JobItem} of a batch item: the item with the CLI's `label`, without an empty
 * description (a run of `run --count` has none).
 * @example shownItem(item, `[${item.index + 1}/${item.total}]`)
 */
export function shownItem(item: BatchItem, label: string): JobItem {
  const { description, ...rest } = item;
  return description ? { ...item, label } : { ...rest, label };
}
