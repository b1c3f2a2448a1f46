import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeComfyServer } from '../../testing';
import { generateNodeTypes } from '../../workflow/codegen/generateNodeTypes';
import { ExitCode } from '../exitCodes';
import { type CapturedRun, runCliCaptured } from '../__fixtures__/runCliCaptured';

const OBJECT_INFO_080 = path.resolve(__dirname, '..', '..', 'workflow', '__fixtures__', 'object_info-0.8.0.json');

/** `comfyui-rx ...args` in this process; what it printed and its exit code. */
function cli(args: readonly string[]): Promise<CapturedRun> {
  const { COMFYUI_URL: _unset, ...env } = process.env;
  return runCliCaptured(args, env);
}

describe('comfyui-rx codegen', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-codegen-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--url reads the server's /object_info and its version from /system_stats", async () => {
    const fake = await FakeComfyServer.start();
    try {
      const out = path.join(dir, 'nested', 'fake-nodes.ts');
      const run = await cli(['codegen', '--url', fake.url, '--out', out]);
      expect(run).toMatchObject({ code: ExitCode.ok, stderr: '' });
      const written = readFileSync(out, 'utf8');
      const info = await (await fetch(`${fake.url}/object_info`)).json();
      const version = ((await (await fetch(`${fake.url}/system_stats`)).json()) as { system: { comfyui_version: string } }).system.comfyui_version;
      expect(written).toBe(generateNodeTypes(info, { serverVersion: version }));
      expect(written).toContain(`from the /object_info of ComfyUI ${version} (`);
      expect(run.stdout).toBe(`wrote ${out}: ${Object.keys(info as object).length} node classes of ComfyUI ${version} from ${new URL(fake.url).href}\n`);
    } finally {
      await fake.stop();
    }
  });

  it('--object-info FILE works offline; --server-version and --import-from go into the module; --json says what it wrote', async () => {
    const out = path.join(dir, 'nodes080.ts');
    const run = await cli(['codegen', '--object-info', OBJECT_INFO_080, '--out', out, '--server-version', '0.8.0', '--import-from', '../lib', '--json']);
    expect(run.code).toBe(ExitCode.ok);
    expect(JSON.parse(run.stdout)).toEqual({ type: 'codegen', out, classes: 449, serverVersion: '0.8.0', bytes: expect.any(Number) });
    expect(readFileSync(out, 'utf8')).toBe(generateNodeTypes(JSON.parse(readFileSync(OBJECT_INFO_080, 'utf8')), { serverVersion: '0.8.0', importFrom: '../lib' }));
  });

  it('usage errors exit 2: both sources, a missing file, a file that is not /object_info', async () => {
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[1, 2]');
    const out = path.join(dir, 'x.ts');
    expect(await cli(['codegen', '--url', 'http://127.0.0.1:1', '--object-info', OBJECT_INFO_080, '--out', out])).toMatchObject({ code: ExitCode.usage, stderr: expect.stringContaining('give --url or --object-info, not both') });
    expect(await cli(['codegen', '--object-info', path.join(dir, 'missing.json'), '--out', out])).toMatchObject({ code: ExitCode.usage, stderr: expect.stringContaining('ENOENT') });
    expect(await cli(['codegen', '--object-info', notJson, '--out', out])).toMatchObject({ code: ExitCode.usage, stderr: expect.stringContaining('is not JSON') });
    expect(await cli(['codegen', '--object-info', list, '--out', out])).toMatchObject({ code: ExitCode.usage, stderr: expect.stringContaining('is not an /object_info answer') });
  });

  it('an unreachable server exits 3', async () => {
    const run = await cli(['codegen', '--url', 'http://127.0.0.1:9', '--out', path.join(dir, 'y.ts')]);
    expect(run.code).toBe(ExitCode.unreachable);
    expect(run.stderr).toContain('Cannot reach ComfyUI at http://127.0.0.1:9');
  });
});
