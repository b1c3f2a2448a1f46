import type { SavedFile } from '../outputs/saveOutputs';
import type { PromptEvent } from '../prompt/events';

/** One prompt of a batch: a description and which of its images (or videos) this is. */
export interface BatchItem {
  /** Position in the batch, 0-based. */
  readonly index: number;
  /** Items in the batch (descriptions x perDescription). */
  readonly total: number;
  /** 0-based. */
  readonly descriptionIndex: number;
  readonly descriptionCount: number;
  readonly description: string;
  /** Which image of its description, 0-based. */
  readonly imageIndex: number;
  readonly perDescription: number;
  readonly seed: number;
  /** The input file of this item (image strategies): which of the batch's inputs, and its source as shown in messages. */
  readonly input?: { readonly index: number; readonly total: number; readonly source: string };
  /** For people, 1-based: `[3/8] description 2/2, image 1/4`; with inputs `[3/8] input 2/4 photo.png, video 1/1`. */
  readonly label: string;
}

/** The numbers of a finished (or stopped) batch. */
export interface BatchSummary {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Not started because `stopOnError` stopped the batch. */
  readonly skipped: number;
  /** `stopOnError` stopped the batch at a failure. */
  readonly stopped: boolean;
  /** From subscription to the summary. */
  readonly elapsedMs: number;
  /** Time of each item that ran (done or failed), in batch order. */
  readonly perItemMs: readonly number[];
  /** `saved` events: files written (or found already there with `onExisting: 'skip'`), failed items' included. */
  readonly files: number;
}

/** What `generate` emits, in this order per item: item-start, prompt*, saved*, item-done | item-failed; then one summary. */
export type BatchEvent =
  | { readonly type: 'item-start'; readonly item: BatchItem }
  /** A live event of the item's prompt (queued, progress, executed, done...). */
  | { readonly type: 'prompt'; readonly item: BatchItem; readonly event: PromptEvent }
  | { readonly type: 'saved'; readonly item: BatchItem; readonly file: SavedFile }
  | { readonly type: 'item-done'; readonly item: BatchItem; readonly promptId: string; readonly files: readonly SavedFile[]; readonly elapsedMs: number }
  /** The item failed (typed error of its prompt or of a download); the batch goes on unless `stopOnError`. */
  | { readonly type: 'item-failed'; readonly item: BatchItem; readonly error: Error; readonly elapsedMs: number }
  /** Last event; the stream completes right after it. */
  | { readonly type: 'summary'; readonly summary: BatchSummary };

export type BatchEventType = BatchEvent['type'];

/** `[3/8] description 2/2, image 1/4`; with an input `[3/8] input 2/4 photo.png, description 1/2, video 1/1` (no descriptions: no description part). */
export function itemLabel(item: Omit<BatchItem, 'label' | 'seed' | 'description'>, noun = 'image'): string {
  const parts: string[] = [];
  if (item.input) parts.push(`input ${item.input.index + 1}/${item.input.total} ${item.input.source}`);
  if (!item.input || item.descriptionCount > 0) parts.push(`description ${item.descriptionIndex + 1}/${item.descriptionCount}`);
  parts.push(`${noun} ${item.imageIndex + 1}/${item.perDescription}`);
  return `[${item.index + 1}/${item.total}] ${parts.join(', ')}`;
}
