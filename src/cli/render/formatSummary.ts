import path from 'node:path';
import { formatDuration } from '../../progress';
import type { BatchSummary } from '../../batch';
import type { InterruptedJob, JobFailure } from './JobRenderer';

/** Labels listed in a summary before "and N more". */
const LISTED_FAILURES = 10;

/**
 * `4/4 done, 4 files saved in output/ (6.2s)`; with failures, a line naming the failed items
 * (their reasons were told when each failed: nothing is said twice), and, when the CLI stopped
 * the batch at a rejection (`summary.stopped`), why the rest was not sent.
 * @example formatSummary(summary, failures, 'out') // '1/3 done, 1 failed, 1 not sent, ...'
 */
export function formatSummary(summary: BatchSummary, failures: readonly JobFailure[], outDir: string | undefined): string {
  const parts = [`${summary.done}/${summary.total} done`];
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.skipped) parts.push(`${summary.skipped} not sent`);
  const where = outDir ? ` in ${displayDir(outDir)}` : '';
  parts.push(`${summary.files} file${summary.files === 1 ? '' : 's'} saved${where}`);
  const lines = [`${parts.join(', ')} (${formatDuration(summary.elapsedMs)})`];
  if (failures.length > 0) {
    const listed = failures.slice(0, LISTED_FAILURES).map(({ item }) => item.label);
    const more = failures.length > LISTED_FAILURES ? ` and ${failures.length - LISTED_FAILURES} more` : '';
    lines.push(`  failed: ${listed.join(', ')}${more} (why: above)`);
  }
  if (summary.stopped && summary.skipped > 0) lines.push(`  stopped: the server rejected the workflow, so the other ${summary.skipped === 1 ? 'item was' : `${summary.skipped} items were`} not sent`);
  return `${lines.join('\n')}\n`;
}

/** Files listed by {@link formatInterrupted} before "and N more". */
const LISTED_FILES = 10;

/**
 * What a job stopped with Ctrl-C leaves behind: `interrupted: 1/4 done, 2 files saved in out/`,
 * then the files (the prompt in flight is cancelled on the server, nothing of it is saved).
 * @example formatInterrupted({ done: 1, total: 4, saved }, 'out')
 */
export function formatInterrupted(job: InterruptedJob, outDir: string | undefined): string {
  const files = job.saved.filter((file) => !file.skipped);
  const where = outDir ? ` in ${displayDir(outDir)}` : '';
  const lines = [`interrupted: ${job.done}/${job.total ?? 0} done, ${files.length} file${files.length === 1 ? '' : 's'} saved${where}${files.length > 0 ? ':' : ''}`];
  for (const file of files.slice(0, LISTED_FILES)) lines.push(`  ${displayPath(file.path)}`);
  if (files.length > LISTED_FILES) lines.push(`  and ${files.length - LISTED_FILES} more`);
  return `${lines.join('\n')}\n`;
}

/** A folder as the user would type it: relative to the cwd when inside it. */
export function displayDir(dir: string): string {
  const relative = path.relative(process.cwd(), path.resolve(dir));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? `${relative}${path.sep}` : path.resolve(dir);
}

/** A file as the user would type it: relative to the cwd when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
