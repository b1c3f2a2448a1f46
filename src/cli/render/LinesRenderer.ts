import type { SavedFile } from '../../outputs';
import { type ProgressView, formatDuration, formatProgressLine } from '../../progress';
import type { BatchSummary } from '../../batch';
import type { JobItem } from '../jobItem';
import type { UnsavedOutput } from '../unsavedOutputs';
import { describeUnsaved } from './describeUnsaved';
import { describeError } from './describeError';
import { formatBytes } from './formatBytes';
import { displayPath, formatInterrupted, formatSummary } from './formatSummary';
import type { InterruptedJob, JobFailure, JobRenderer } from './JobRenderer';

/**
 * Plain text for logs, CI and pipes: one line per meaningful change of an item (node change, every
 * 25% of a node, stall, reconnect, end), one per saved file, and the summary.
 */
export class LinesRenderer implements JobRenderer {
  readonly milestonesOnly = true;

  constructor(
    private readonly out: (text: string) => void,
    private readonly outDir?: string,
  ) {}

  interrupted(job: InterruptedJob): void {
    this.out(formatInterrupted(job, this.outDir));
  }

  notice(text: string): void {
    this.out(`${text}\n`);
  }

  itemStart(item: JobItem): void {
    if (item.description !== undefined) this.out(`${item.label} ${JSON.stringify(item.description)}\n`);
  }

  view(item: JobItem, view: ProgressView): void {
    if (view.state === 'done' || view.state === 'failed') return; // told by itemDone / itemFailed
    this.out(`${formatProgressLine(view, item.label)}\n`);
  }

  saved(item: JobItem, file: SavedFile): void {
    this.out(`${item.label} ${file.skipped ? 'kept existing' : 'saved'} ${displayPath(file.path)} (${formatBytes(file.bytes)})\n`);
  }

  notSaved(item: JobItem, outputs: readonly UnsavedOutput[]): void {
    for (const output of outputs) this.out(`${item.label} not saved: ${describeUnsaved(output)}\n`);
  }

  itemDone(item: JobItem, files: readonly SavedFile[], elapsedMs: number): void {
    this.out(`${item.label} done in ${formatDuration(elapsedMs)}, ${files.length} file${files.length === 1 ? '' : 's'}\n`);
  }

  itemFailed(item: JobItem, error: Error): void {
    this.out(`${item.label} failed: ${describeError(error)}\n`);
  }

  summary(summary: BatchSummary, failures: readonly JobFailure[]): void {
    this.out(formatSummary(summary, failures, this.outDir));
  }

  stop(): void {
    // nothing to release
  }
}
