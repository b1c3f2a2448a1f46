import type { SavedFile } from '../../outputs';
import type { ProgressView } from '../../progress';
import type { BatchSummary } from '../../batch';
import type { JobItem } from '../jobItem';
import type { UnsavedOutput } from '../unsavedOutputs';

/** A failed item and why. */
export interface JobFailure {
  readonly item: JobItem;
  readonly error: Error;
}

/** What an interrupted job had done: items done (of `total`, when an item had started) and the files saved. */
export interface InterruptedJob {
  readonly done: number;
  readonly total: number | undefined;
  readonly saved: readonly SavedFile[];
}

/** Draws a job: progress bars, plain lines or JSON lines. */
export interface JobRenderer {
  /** True: only milestone views (`progressMilestones`) reach {@link view}; false: every view, ticks included. */
  readonly milestonesOnly: boolean;
  itemStart(item: JobItem): void;
  view(item: JobItem, view: ProgressView): void;
  saved(item: JobItem, file: SavedFile): void;
  /** Outputs of the item that were not saved (temp files, socket-only images), told before {@link itemDone}. */
  notSaved(item: JobItem, outputs: readonly UnsavedOutput[]): void;
  itemDone(item: JobItem, files: readonly SavedFile[], elapsedMs: number): void;
  itemFailed(item: JobItem, error: Error): void;
  summary(summary: BatchSummary, failures: readonly JobFailure[]): void;
  /** The job was stopped (Ctrl-C): what it leaves behind. */
  interrupted(progress: InterruptedJob): void;
  /** A one-off notice for people (e.g. "using an embedded fake server"). */
  notice(text: string): void;
  /** Releases the terminal (bars); idempotent. */
  stop(): void;
}
