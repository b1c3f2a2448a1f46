import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFile } from './hashFile';

describe('hashFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'comfyui-rx-hash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes a file once while it is unchanged, again after it changed', async () => {
    const path = join(dir, 'photo.png');
    writeFileSync(path, 'first');
    const first = hashFile(path, statSync(path));
    expect(hashFile(path, statSync(path))).toBe(first); // the same pending read, not a second one
    expect(await first).toBe(createHash('sha256').update('first').digest('hex'));
    writeFileSync(path, 'other');
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect(await hashFile(path, statSync(path))).toBe(createHash('sha256').update('other').digest('hex'));
  });
});
