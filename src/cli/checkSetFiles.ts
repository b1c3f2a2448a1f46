import { statSync } from 'node:fs';
import { isHttpUrl } from '../inputs/inputSource';
import { CliUsageError } from './CliUsageError';
import type { SetAssignment } from './setAssignment';

/**
 * Checks the local files of `--set NODE.inputs.NAME=@FILE` before anything connects: each must be a
 * readable file (a URL is fetched when the prompt runs).
 * @throws CliUsageError naming the assignment and what is wrong.
 */
export function checkSetFiles(assignments: readonly SetAssignment[]): void {
  for (const { file, text } of assignments) {
    if (file === undefined || isHttpUrl(file)) continue;
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) throw new CliUsageError(`--set ${text}: no such file: ${file}`);
    if (!stats.isFile()) throw new CliUsageError(`--set ${text}: ${file} is not a file`);
  }
}
