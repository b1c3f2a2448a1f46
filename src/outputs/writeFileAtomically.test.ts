import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ComfyOutputExistsError, checkExisting, writeFileAtomically } from './writeFileAtomically';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'comfyui-rx-write-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const body = (text: string) => Readable.from([Buffer.from(text)]);

describe('writeFileAtomically', () => {
  it('writes the stream and reports its size; no temp file is left', async () => {
    const target = path.join(dir, 'sub', 'a.png');
    const result = await writeFileAtomically(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), target, { onExisting: 'rename' });
    expect(result).toEqual({ path: target, bytes: 4, skipped: false });
    expect(await readFile(target, 'utf8')).toBe('abcd');
    expect(await readdir(path.dirname(target))).toEqual(['a.png']);
  });

  describe('onExisting', () => {
    const target = () => path.join(dir, 'a.png');
    beforeEach(async () => writeFile(target(), 'old'));

    it("'rename' keeps the old file and picks the next free name", async () => {
      await writeFile(path.join(dir, 'a (1).png'), 'older');
      const result = await writeFileAtomically(body('new'), target(), { onExisting: 'rename' });
      expect(result.path).toBe(path.join(dir, 'a (2).png'));
      expect(await readFile(target(), 'utf8')).toBe('old');
      expect(await readFile(path.join(dir, 'a (1).png'), 'utf8')).toBe('older');
      expect(await readFile(result.path, 'utf8')).toBe('new');
    });

    it("'overwrite' replaces the file", async () => {
      const result = await writeFileAtomically(body('new'), target(), { onExisting: 'overwrite' });
      expect(result).toEqual({ path: target(), bytes: 3, skipped: false });
      expect(await readFile(target(), 'utf8')).toBe('new');
      expect(await readdir(dir)).toEqual(['a.png']);
    });

    it("'skip' keeps the old file and reports it", async () => {
      const result = await writeFileAtomically(body('newer'), target(), { onExisting: 'skip' });
      expect(result).toEqual({ path: target(), bytes: 3, skipped: true });
      expect(await readFile(target(), 'utf8')).toBe('old');
      expect(await readdir(dir)).toEqual(['a.png']);
    });

    it("'error' fails with ComfyOutputExistsError and leaves the old file alone", async () => {
      await expect(writeFileAtomically(body('new'), target(), { onExisting: 'error' })).rejects.toBeInstanceOf(ComfyOutputExistsError);
      expect(await readFile(target(), 'utf8')).toBe('old');
      expect(await readdir(dir)).toEqual(['a.png']);
    });

    it('checkExisting settles skip and error before any download', async () => {
      await expect(checkExisting(target(), 'skip')).resolves.toEqual({ path: target(), bytes: 3, skipped: true });
      await expect(checkExisting(target(), 'error')).rejects.toThrow(`Output file already exists: ${target()}`);
      await expect(checkExisting(target(), 'rename')).resolves.toBeUndefined();
      await expect(checkExisting(path.join(dir, 'free.png'), 'error')).resolves.toBeUndefined();
    });
  });

  it('a source that fails midway leaves no file, and the error goes through sourceError', async () => {
    const source = new PassThrough();
    const written = writeFileAtomically(source, path.join(dir, 'a.png'), {
      onExisting: 'rename',
      sourceError: (cause) => new Error(`wrapped: ${(cause as Error).message}`),
    });
    source.write(Buffer.alloc(1024));
    source.destroy(new Error('terminated'));
    await expect(written).rejects.toThrow('wrapped: terminated');
    expect(await readdir(dir)).toEqual([]);
  });

  it('a body shorter than announced is a source failure and leaves no file', async () => {
    const written = writeFileAtomically(body('abc'), path.join(dir, 'a.png'), { onExisting: 'rename', expectedBytes: 10, sourceError: (cause) => new Error(`wrapped: ${(cause as Error).message}`) });
    await expect(written).rejects.toThrow('wrapped: the body ended after 3 of 10 bytes');
    expect(await readdir(dir)).toEqual([]);
  });

  it('aborting stops the copy, destroys the source and removes the partial file', async () => {
    const source = new PassThrough();
    const abort = new AbortController();
    const written = writeFileAtomically(source, path.join(dir, 'a.png'), { onExisting: 'rename', signal: abort.signal });
    source.write(Buffer.alloc(1024));
    await new Promise((resolve) => setImmediate(resolve)); // let the copy start (the assertions hold either way)
    abort.abort();
    await expect(written).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.destroyed).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('two writers of the same name under rename both keep their bytes', async () => {
    const target = path.join(dir, 'same.png');
    const results = await Promise.all(['one', 'two', 'three'].map((text) => writeFileAtomically(body(text), target, { onExisting: 'rename' })));
    expect(new Set(results.map((r) => r.path)).size).toBe(3);
    const contents = await Promise.all(results.map((r) => readFile(r.path, 'utf8')));
    expect(contents.sort()).toEqual(['one', 'three', 'two']);
  });
});
