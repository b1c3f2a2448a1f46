import { readFileSync } from 'node:fs';
import { CliUsageError } from './CliUsageError';

/**
 * Descriptions, one per line, from a file or from stdin (`-`). Blank lines and `#` comments are
 * skipped; surrounding spaces are trimmed.
 * @throws CliUsageError when the file cannot be read or holds no description.
 */
export async function readDescriptions(source: string, openStdin: () => NodeJS.ReadableStream = () => process.stdin): Promise<string[]> {
  let text: string;
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of openStdin()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    text = Buffer.concat(chunks).toString('utf8');
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new CliUsageError(`cannot read descriptions ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const descriptions = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (descriptions.length === 0) throw new CliUsageError(`no descriptions in ${source === '-' ? 'stdin' : source} (one per line; # starts a comment)`);
  return descriptions;
}
