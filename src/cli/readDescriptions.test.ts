import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CliUsageError } from './CliUsageError';
import { readDescriptions } from './readDescriptions';

describe('readDescriptions', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-desc-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads one description per line, trimmed, skipping blank lines and # comments', async () => {
    const file = path.join(dir, 'd.txt');
    writeFileSync(file, '# title\n  a red fox  \r\n\n# another\na blue whale\n');
    await expect(readDescriptions(file)).resolves.toEqual(['a red fox', 'a blue whale']);
  });

  it('reads stdin for -', async () => {
    await expect(readDescriptions('-', () => Readable.from(['a cat\n', 'a dog\n']))).resolves.toEqual(['a cat', 'a dog']);
  });

  it('is a usage error when the file is missing or empty', async () => {
    await expect(readDescriptions(path.join(dir, 'missing.txt'))).rejects.toThrow(/cannot read descriptions .*ENOENT/);
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '# nothing\n\n');
    await expect(readDescriptions(empty)).rejects.toBeInstanceOf(CliUsageError);
  });
});
