import path from 'node:path';
import { formatDuration } from '../../progress';
import type { BatchSummary } from '../../batch';
import { describeError } from './describeError';
import type { JobFailure } from './JobRenderer';

/** `4/4 done, 4 files saved in output/ (6.2s)`, then one line per failed item. */
export function formatSummary(summary: BatchSummary, failures: readonly JobFailure[], outDir: string | undefined): string {
  const parts = [`${summary.done}/${summary.total} done`];
  if (summary.failed) parts.push(`${summary.failed} failed`);
  const where = outDir ? ` in ${displayDir(outDir)}` : '';
  parts.push(`${summary.files} file${summary.files === 1 ? '' : 's'} saved${where}`);
  const lines = [`${parts.join(', ')} (${formatDuration(summary.elapsedMs)})`];
  for (const { item, error } of failures) lines.push(`  ${item.label} ${describeError(error).replace(/\n/g, '\n  ')}`);
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
