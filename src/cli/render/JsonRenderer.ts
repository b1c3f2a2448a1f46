import type { SavedFile } from '../../outputs';
import type { ProgressView } from '../../progress';
import type { BatchSummary } from '../../batch';
import type { JobItem } from '../jobItem';
import type { UnsavedOutput } from '../unsavedOutputs';
import { errorToJson } from './errorToJson';
import type { InterruptedJob, JobFailure, JobRenderer } from './JobRenderer';

const fileToJson = (file: SavedFile) => ({ path: file.path, bytes: file.bytes, nodeId: file.nodeId, kind: file.kind, animated: file.animated, skipped: file.skipped });

/** `--json`: one JSON object per line on stdout (item-start, progress milestones, saved, item-done, item-failed, summary). */
export class JsonRenderer implements JobRenderer {
  readonly milestonesOnly = true;

  constructor(private readonly out: (text: string) => void) {}

  private line(value: Record<string, unknown>): void {
    this.out(`${JSON.stringify(value)}\n`);
  }

  interrupted(job: InterruptedJob): void {
    this.line({ type: 'interrupted', done: job.done, total: job.total, files: job.saved.filter((file) => !file.skipped).map((file) => file.path) });
  }

  notice(text: string): void {
    this.line({ type: 'notice', message: text });
  }

  itemStart(item: JobItem): void {
    this.line({ type: 'item-start', item });
  }

  view(item: JobItem, view: ProgressView): void {
    const { error, ...rest } = view;
    this.line({ type: 'progress', item: { index: item.index, label: item.label }, view: error ? { ...rest, error: errorToJson(error) } : rest });
  }

  saved(item: JobItem, file: SavedFile): void {
    this.line({ type: 'saved', item: { index: item.index, label: item.label }, file: fileToJson(file) });
  }

  notSaved(item: JobItem, outputs: readonly UnsavedOutput[]): void {
    this.line({ type: 'not-saved', item: { index: item.index, label: item.label }, outputs });
  }

  itemDone(item: JobItem, files: readonly SavedFile[], elapsedMs: number): void {
    this.line({ type: 'item-done', item: { index: item.index, label: item.label }, files: files.map((file) => file.path), elapsedMs });
  }

  itemFailed(item: JobItem, error: Error): void {
    this.line({ type: 'item-failed', item: { index: item.index, label: item.label }, error: errorToJson(error) });
  }

  summary(summary: BatchSummary, failures: readonly JobFailure[]): void {
    this.line({ type: 'summary', ...summary, failures: failures.map(({ item, error }) => ({ index: item.index, label: item.label, error: errorToJson(error) })) });
  }

  stop(): void {
    // nothing to release
  }
}
