import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { ComfyConnectionError, ComfyHttpError, ComfyOptionsError } from '../errors';
import type { OutputFileRef } from '../protocol/api';
import { comfyEndpoint } from '../transport/endpoint';
import type { ViewResponse } from '../transport/http';
import { type ViewSource, saveOutputs } from './saveOutputs';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'comfyui-rx-save-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** A /view stub serving `files` (by server file name); records what was asked. */
function viewStub(files: Record<string, string | (() => Readable)>) {
  const asked: OutputFileRef[] = [];
  const http: ViewSource = {
    endpoint: comfyEndpoint('http://127.0.0.1:1'),
    view: (file) => {
      asked.push(file);
      const content = files[file.filename];
      if (content === undefined) return throwError(() => new ComfyHttpError(404, 'GET', 'http://127.0.0.1:1/view', 'Not Found'));
      const body = typeof content === 'string' ? Readable.from([Buffer.from(content)]) : content();
      const response: ViewResponse = { body, contentType: 'image/png', contentLength: typeof content === 'string' ? Buffer.byteLength(content) : undefined };
      return of(response);
    },
  };
  return { http, asked };
}

const ref = (filename: string, subfolder = '', type = 'output') => ({ filename, subfolder, type });

/** Every file under `root`, recursively, as paths relative to it. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

describe('saveOutputs', () => {
  it('downloads every listed file under its server name and reports where it went', async () => {
    const { http } = viewStub({ 'a.png': 'AAA', 'b.webp': 'BB' });
    const saved = await lastValueFrom(
      saveOutputs(http, { '9': { images: [ref('a.png')] }, '41': { images: [ref('b.webp')], animated: [true] } }, { dir }).pipe(toArray()),
    );
    expect(saved).toEqual([
      { path: path.join(dir, 'a.png'), bytes: 3, nodeId: '9', kind: 'images', source: ref('a.png'), animated: false, skipped: false },
      { path: path.join(dir, 'b.webp'), bytes: 2, nodeId: '41', kind: 'images', source: ref('b.webp'), animated: true, skipped: false },
    ]);
    expect(await readFile(path.join(dir, 'a.png'), 'utf8')).toBe('AAA');
  });

  it('uses fileName for local names (sub-folders allowed) and never overwrites silently', async () => {
    const { http } = viewStub({ 'a.png': 'one', 'b.png': 'two' });
    const saved = await lastValueFrom(
      saveOutputs(http, { '9': { images: [ref('a.png'), ref('b.png')] } }, { dir, fileName: () => 'run/same.png' }).pipe(toArray()),
    );
    expect(saved.map((f) => path.relative(dir, f.path))).toEqual([path.join('run', 'same.png'), path.join('run', 'same (1).png')]);
  });

  it("onExisting 'skip' does not even download a file that exists", async () => {
    const { http, asked } = viewStub({ 'a.png': 'new' });
    await lastValueFrom(saveOutputs(http, { '9': { images: [ref('a.png')] } }, { dir }));
    asked.length = 0;
    const skipped = await firstValueFrom(saveOutputs(http, { '9': { images: [ref('a.png')] } }, { dir, onExisting: 'skip' }));
    expect(skipped).toMatchObject({ path: path.join(dir, 'a.png'), skipped: true, bytes: 3 });
    expect(asked).toEqual([]);
  });

  it('temp previews are downloaded only when asked', async () => {
    const { http, asked } = viewStub({ 'a.png': 'A', 'p.png': 'P' });
    const outputs = { '9': { images: [ref('a.png')] }, '10': { images: [ref('p.png', '', 'temp')] } };
    await lastValueFrom(saveOutputs(http, outputs, { dir }).pipe(toArray()));
    expect(asked.map((f) => f.filename)).toEqual(['a.png']);
    await lastValueFrom(saveOutputs(http, outputs, { dir, includeTemp: true, onExisting: 'overwrite' }).pipe(toArray()));
    expect(asked.map((f) => f.filename)).toEqual(['a.png', 'a.png', 'p.png']);
  });

  describe('hostile names from the server', () => {
    const hostile = [
      ref('../../escape.png'),
      ref('/etc/cron.d/evil'),
      ref('..\\..\\win.png'),
      ref('x.png', '../../..'),
      ref('y.png', '/abs/olute'),
      ref('nul\u0000byte.png'),
      ref('CON'),
      ref(`${'z'.repeat(400)}.png`),
      ref('..'),
    ];

    it.each([false, true])('cannot write outside the folder (keepSubfolders: %s)', async (keepSubfolders) => {
      const outer = dir;
      const inner = path.join(outer, 'deep', 'out');
      const { http } = viewStub(Object.fromEntries(hostile.map((f) => [f.filename, 'x'])));
      const saved = await lastValueFrom(saveOutputs(http, { '9': { images: hostile } }, { dir: inner, keepSubfolders }).pipe(toArray()));
      expect(saved).toHaveLength(hostile.length);
      for (const file of saved) {
        const relative = path.relative(inner, file.path);
        expect(relative.split(path.sep)).not.toContain('..');
        expect(path.isAbsolute(relative)).toBe(false);
        expect(Buffer.byteLength(path.basename(file.path))).toBeLessThanOrEqual(200);
      }
      // nothing at all outside `inner`
      expect((await tree(outer)).every((f) => f.startsWith(path.join('deep', 'out') + path.sep))).toBe(true);
    });
  });

  it('a refused download is the transport ComfyHttpError and leaves no file', async () => {
    const { http } = viewStub({ 'a.png': 'A' });
    const failure = lastValueFrom(saveOutputs(http, { '9': { images: [ref('a.png'), ref('missing.png')] } }, { dir }).pipe(toArray()));
    await expect(failure).rejects.toBeInstanceOf(ComfyHttpError);
    expect(await tree(dir)).toEqual(['a.png']);
  });

  it('a body that breaks off is a ComfyConnectionError naming the file, and leaves no partial file', async () => {
    const { http } = viewStub({
      'big.png': () => {
        const stream = new PassThrough();
        stream.write(Buffer.alloc(64 * 1024));
        setImmediate(() => stream.destroy(new Error('terminated')));
        return stream;
      },
    });
    const failure = firstValueFrom(saveOutputs(http, { '9': { images: [ref('big.png')] } }, { dir }));
    await expect(failure).rejects.toBeInstanceOf(ComfyConnectionError);
    await expect(failure).rejects.toThrow('Download of "big.png" failed: terminated');
    expect(await tree(dir)).toEqual([]);
  });

  it('rejects bad options at call time, naming them', () => {
    const { http } = viewStub({});
    expect(() => saveOutputs(http, {}, { dir: '' })).toThrow(ComfyOptionsError);
    expect(() => saveOutputs(http, {}, { dir, onExisting: 'clobber' as 'skip' })).toThrow(/onExisting/);
    expect(() => saveOutputs(http, {}, { dir, extra: 1 } as { dir: string })).toThrow(/extra/);
  });
});
