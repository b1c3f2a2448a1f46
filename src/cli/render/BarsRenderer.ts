import { MultiBar, type SingleBar } from 'cli-progress';
import type { SavedFile } from '../../outputs';
import { type ProgressView, formatDuration } from '../../progress';
import type { BatchSummary } from '../../batch';
import type { JobItem } from '../jobItem';
import type { UnsavedOutput } from '../unsavedOutputs';
import { describeUnsaved } from './describeUnsaved';
import type { LogSink } from '../logSink';
import { describeError } from './describeError';
import { displayPath, formatInterrupted, formatSummary } from './formatSummary';
import type { InterruptedJob, JobFailure, JobRenderer } from './JobRenderer';

const LABEL_MAX = 40;
const ITEM_FORMAT = '{label} {bar} {percentage}% | {stage} | {elapsed}{queue}';
const TOTAL_FORMAT = '{label} {bar} {value}/{total} items{failed} | {elapsed}';

/** What an item's bar shows in its `{stage}` slot: node class and node percent, or the queue/stall state. */
function stageOf(view: ProgressView): string {
  if (view.reconnecting) return `reconnecting (attempt ${view.reconnecting.attempt})`;
  if (view.stalledMs !== undefined) return `quiet for ${formatDuration(view.stalledMs)}`;
  switch (view.state) {
    case 'submitting':
      return 'submitting';
    case 'queued':
      return view.queue.ahead !== undefined ? `queued, ${view.queue.ahead} ahead` : 'queued';
    case 'running': {
      const node = view.node ? (view.node.classType ?? `node ${view.node.id}`) : 'starting';
      return view.nodePercent !== undefined ? `${node} ${Math.floor(view.nodePercent)}%` : node;
    }
    case 'done':
      return 'saving';
    case 'failed':
      return 'failed';
  }
}

/**
 * Progress bars on a terminal (cli-progress): one bar per running item with its label, node
 * class_type, percent, elapsed time and queue; an overall bar for a batch of several items.
 * Finished items leave the screen as one line above the bars. Log lines are routed above the bars.
 */
export class BarsRenderer implements JobRenderer {
  readonly milestonesOnly = false;
  private readonly multibar: MultiBar;
  private readonly bars = new Map<number, SingleBar>();
  private overall: SingleBar | undefined;
  private labelWidth = 0;
  private failed = 0;
  private readonly startedAt = Date.now();
  private undivert: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    sink: LogSink,
    private readonly outDir?: string,
  ) {
    this.multibar = new MultiBar({ stream, hideCursor: true, clearOnComplete: false, gracefulExit: false, autopadding: true, barsize: 24, barCompleteChar: '█', barIncompleteChar: '░', fps: 10, format: ITEM_FORMAT });
    this.undivert = sink.divertTo((text) => this.log(text));
  }

  private log(text: string): void {
    if (this.stopped) this.stream.write(text);
    else this.multibar.log(text.endsWith('\n') ? text : `${text}\n`);
  }

  private pad(label: string): string {
    return label.length > this.labelWidth ? `${label.slice(0, this.labelWidth - 1)}…` : label.padEnd(this.labelWidth);
  }

  interrupted(job: InterruptedJob): void {
    this.stop();
    this.stream.write(formatInterrupted(job, this.outDir));
  }

  notice(text: string): void {
    this.log(`${text}\n`);
  }

  itemStart(item: JobItem): void {
    if (!this.labelWidth) this.labelWidth = Math.min(LABEL_MAX, Math.max(item.label.length, 'total'.length));
    if (!this.overall && item.total > 1) {
      this.overall = this.multibar.create(item.total, 0, { label: this.pad('total'), failed: '', elapsed: '0.0s' }, { format: TOTAL_FORMAT });
    }
    if (item.description !== undefined) this.log(`${item.label} ${JSON.stringify(item.description)}\n`);
    this.bars.set(item.index, this.multibar.create(100, 0, { label: this.pad(item.label), stage: 'submitting', elapsed: '0.0s', queue: '' }));
  }

  view(item: JobItem, view: ProgressView): void {
    const bar = this.bars.get(item.index);
    if (!bar) return;
    const queue = view.queue.remaining !== undefined ? ` | queue ${view.queue.remaining}` : '';
    bar.update(Math.floor(view.percent ?? view.nodePercent ?? 0), { stage: stageOf(view), elapsed: formatDuration(view.elapsedMs), queue });
    this.overall?.update({ elapsed: formatDuration(Date.now() - this.startedAt) });
  }

  saved(item: JobItem, file: SavedFile): void {
    this.log(`${item.label} saved ${displayPath(file.path)}\n`);
  }

  private finish(item: JobItem, line: string): void {
    const bar = this.bars.get(item.index);
    if (bar) this.multibar.remove(bar);
    this.bars.delete(item.index);
    this.overall?.increment(1, { failed: this.failed ? `, ${this.failed} failed` : '', elapsed: formatDuration(Date.now() - this.startedAt) });
    this.log(line);
  }

  notSaved(item: JobItem, outputs: readonly UnsavedOutput[]): void {
    for (const output of outputs) this.log(`${item.label} not saved: ${describeUnsaved(output)}\n`);
  }

  itemDone(item: JobItem, files: readonly SavedFile[], elapsedMs: number): void {
    this.finish(item, `✔ ${item.label} done in ${formatDuration(elapsedMs)}, ${files.length} file${files.length === 1 ? '' : 's'}\n`);
  }

  itemFailed(item: JobItem, error: Error): void {
    this.failed++;
    this.finish(item, `✖ ${item.label} failed: ${describeError(error)}\n`);
  }

  summary(summary: BatchSummary, failures: readonly JobFailure[]): void {
    this.stop();
    this.stream.write(formatSummary(summary, failures, this.outDir));
  }

  stop(): void {
    if (this.stopped) return;
    this.multibar.update(); // flush lines logged since the last redraw
    this.multibar.stop();
    this.stopped = true;
    this.undivert?.();
    this.undivert = undefined;
  }
}
