import type { SavedFile } from '../outputs';
import type { PromptEvent } from '../prompt/events';

/**
 * What the CLI draws: one item of a job (a batch item of `generate`, one run of `run --count`).
 * A batch's `BatchItem` fits this shape.
 */
export interface JobItem {
  /** 0-based position in the job. */
  readonly index: number;
  readonly total: number;
  /** For people, e.g. `[3/8] "a red fox", image 1/2`. */
  readonly label: string;
  /** The text description it draws, when there is one. */
  readonly description?: string;
}

/** The life of a job, item by item; a batch's `BatchEvent` stream fits this shape. */
export type JobEvent =
  | { readonly type: 'item-start'; readonly item: JobItem }
  | { readonly type: 'prompt'; readonly item: JobItem; readonly event: PromptEvent }
  | { readonly type: 'saved'; readonly item: JobItem; readonly file: SavedFile }
  | { readonly type: 'item-done'; readonly item: JobItem; readonly files: readonly SavedFile[]; readonly elapsedMs: number }
  | { readonly type: 'item-failed'; readonly item: JobItem; readonly error: Error }
  | { readonly type: 'summary'; readonly summary: JobSummary };

/** The last event of a job. */
export interface JobSummary {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** Files saved. */
  readonly files: number;
}
