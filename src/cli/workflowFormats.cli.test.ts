/**
 * The real binary (`node dist/cli/main.js`) with workflows as people have them: the editor's Save
 * format, and output files carrying their workflow; `convert`; `--set` by title. Against a
 * FakeComfyServer started here; no sleeps (every wait is on process exit).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uiTxt2img } from '../__fixtures__/uiWorkflows';
import { FakeComfyServer } from '../testing';
import { embedPngMetadata } from '../workflow/embedded';
import { ExitCode } from './exitCodes';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'src', 'workflow', '__fixtures__');

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<Finished> {
  const { COMFYUI_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: workDir, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Prompt ids of the runs of a `--json` output. */
const promptIdsOf = (stdout: string): string[] => [...new Set([...stdout.matchAll(/"promptId":"([^"]+)"/g)].map((match) => match[1]!))];

type Entry = { class_type: string; inputs: Record<string, unknown> };
const historyPrompt = (id: string) => fake.historyOf(id)!.prompt as [number, string, Record<string, Entry>, Record<string, { workflow?: unknown }>];

let fake: FakeComfyServer;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` builds before jest)`);
  fake = await FakeComfyServer.start();
});
afterAll(() => fake.stop());
beforeEach(() => (workDir = mkdtempSync(path.join(tmpdir(), 'comfyrx-formats-'))));
afterEach(() => rmSync(workDir, { recursive: true, force: true }));

const writeJson = (name: string, value: unknown): string => {
  const file = path.join(workDir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

describe('comfyui-rx run with UI workflows and output files', () => {
  it('runs a Save-format workflow with --set by title; the server gets the converted prompt and the UI workflow', async () => {
    const workflow = uiTxt2img('cli-ui', 'a red fox', 777);
    const file = writeJson('my-workflow.json', workflow);
    const result = await cli(['--json', 'run', file, '--url', fake.url, '--set', 'Positive Prompt.inputs.text=a lighthouse', '--out', 'pics']);
    expect(result.code).toBe(ExitCode.ok);
    const [id] = promptIdsOf(result.stdout);
    const [, , prompt, extra] = historyPrompt(id!);
    expect(prompt['6']!.inputs.text).toBe('a lighthouse');
    expect(prompt['3']!.inputs.seed).toBe(777);
    expect(extra['extra_pnginfo']!.workflow).toEqual(workflow);
    expect(readdirSync(path.join(workDir, 'pics')).filter((name) => name.endsWith('.png'))).toHaveLength(1);
  });

  it('re-runs the workflow embedded in a PNG with --count, each run with a new seed', async () => {
    const workflow = uiTxt2img('cli-png', 'a red fox', 500);
    const first = await cli(['run', writeJson('w.json', workflow), '--url', fake.url, '--out', 'first']);
    expect(first.code).toBe(ExitCode.ok);
    const png = readdirSync(path.join(workDir, 'first'))[0]!;
    const render = path.join(workDir, 'old-render.png');
    writeFileSync(render, embedPngMetadata(readFileSync(path.join(workDir, 'first', png)), { prompt: {}, workflow }));
    const again = await cli(['--json', 'run', render, '--count', '2', '--url', fake.url, '--out', 'again']);
    expect(again.code).toBe(ExitCode.ok);
    const ids = promptIdsOf(again.stdout);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => historyPrompt(id)[2]['3']!.inputs.seed)).toEqual([501, 502]);
    expect(historyPrompt(ids[0]!)[3]['extra_pnginfo']!.workflow).toEqual(workflow);
  });

  it('an ambiguous title is a usage error listing the candidates', async () => {
    const workflow = uiTxt2img();
    for (const node of workflow['nodes'] as { id: number; title?: string }[]) if (node.id === 6 || node.id === 7) node.title = 'Prompt';
    const result = await cli(['run', writeJson('twins.json', workflow), '--url', fake.url, '--set', 'Prompt.inputs.text=x']);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('2 nodes are titled "Prompt": 6 (CLIPTextEncode), 7 (CLIPTextEncode)');
  });

  it('node types the server lacks: exit 4 naming every one', async () => {
    const workflow = uiTxt2img();
    (workflow['nodes'] as unknown[]).push({ id: 40, type: 'FancyUpscaler' }, { id: 41, type: 'AnotherPackNode' });
    const result = await cli(['run', writeJson('missing.json', workflow), '--url', fake.url]);
    expect(result.code).toBe(ExitCode.rejected);
    expect(result.stderr).toMatch(/AnotherPackNode, FancyUpscaler/);
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('a file without a workflow is a usage error', async () => {
    const file = path.join(workDir, 'plain.png');
    writeFileSync(file, readFileSync(path.join(ROOT, 'src', 'workflow', 'embedded', '__fixtures__', 'SaveImage.png')).subarray(0, 8));
    const result = await cli(['run', file, '--url', fake.url]);
    expect(result.code).toBe(ExitCode.usage);
  });
});

describe('comfyui-rx convert', () => {
  it('prints the API prompt with a saved /object_info; warnings go to stderr', async () => {
    const result = await cli(['convert', path.join(FIXTURES, 'flux__girl_in_field.workflow.json'), '--object-info', path.join(FIXTURES, 'object_info-0.8.0.json')]);
    expect(result.code).toBe(ExitCode.ok);
    const prompt = JSON.parse(result.stdout) as Record<string, Entry>;
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'flux__girl_in_field.prompt.json'), 'utf8')) as Record<string, Entry>;
    expect(Object.keys(prompt).sort()).toEqual(Object.keys(expected).sort());
    expect(prompt['30']!.inputs).toEqual(expected['30']!.inputs);
    expect(result.stderr).toMatch(/node 11: DualCLIPLoader has 3 widget values for 4 widget slots/);
  });

  it('asks the server (--url) without a saved /object_info', async () => {
    const result = await cli(['convert', writeJson('w.json', uiTxt2img('x', 'a cat')), '--url', fake.url]);
    expect(result.code).toBe(ExitCode.ok);
    expect(JSON.parse(result.stdout)['6']).toEqual({ class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] }, _meta: { title: 'Positive Prompt' } });
  });

  it('a malformed UI workflow is a usage error naming the path', async () => {
    const result = await cli(['convert', writeJson('bad.json', { nodes: [{ id: 1 }] }), '--object-info', path.join(FIXTURES, 'object_info-0.8.0.json')]);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('nodes.0.type');
  });
});
