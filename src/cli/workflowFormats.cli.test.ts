/**
 * The real binary (`node dist/cli/main.js`) with workflows as people have them: the editor's Save
 * format, and output files carrying their workflow; `convert`; `--set` by title. Against a
 * FakeComfyServer started here; no sleeps (every wait is on process exit).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uiTxt2img } from '../__fixtures__/uiWorkflows';
import { FakeComfyServer } from '../testing';
import { embedPngMetadata } from '../workflow/embedded';
import { type SpawnedRun, spawnCliCaptured } from './__fixtures__/spawnCliCaptured';
import { ExitCode } from './exitCodes';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'src', 'workflow', '__fixtures__');

function cli(args: readonly string[]): Promise<SpawnedRun> {
  const { COMFYUI_URL: _ignored, ...env } = process.env;
  return spawnCliCaptured(MAIN, args, { cwd: workDir, env });
}

/** Prompt ids of the runs of a `--json` output. */
const promptIdsOf = (stdout: string): string[] => [...new Set([...stdout.matchAll(/"promptId":"([^"]+)"/g)].map((match) => match[1]!))];

/** The runs of a `--json` output, in order: each run's prompt id and saved files. */
function runsOf(stdout: string): { promptId: string; files: string[] }[] {
  const runs: { promptId: string; files: string[] }[] = [];
  for (const line of stdout.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as { type: string; item?: { index: number }; view?: { promptId?: string }; files?: string[] };
    const index = event.item?.index;
    if (index === undefined) continue;
    runs[index] ??= { promptId: '', files: [] };
    if (event.view?.promptId) runs[index].promptId = event.view.promptId;
    if (event.type === 'item-done') runs[index].files = event.files ?? [];
  }
  return runs;
}

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
    // the embedded workflow holds the text the run used (in the Positive Prompt's widget), nothing else changed
    const written = structuredClone(workflow) as { nodes: { id: number; widgets_values?: unknown[] }[] };
    written.nodes.find((node) => node.id === 6)!.widgets_values = ['a lighthouse'];
    expect(extra['extra_pnginfo']!.workflow).toEqual(written);
    expect(readdirSync(path.join(workDir, 'pics')).filter((name) => name.endsWith('.png'))).toHaveLength(1);
  });

  it('re-runs the workflow embedded in a PNG with --count: the picture first, then new seeds', async () => {
    const workflow = uiTxt2img('cli-png', 'a red fox', 500);
    const render = path.join(workDir, 'old-render.png');
    writeFileSync(render, embedPngMetadata(readFileSync(path.join(ROOT, 'src', 'workflow', 'embedded', '__fixtures__', 'SaveImage.png')), { prompt: {}, workflow }));
    const again = await cli(['--json', 'run', render, '--count', '2', '--url', fake.url, '--out', 'again']);
    expect(again.code).toBe(ExitCode.ok);
    const ids = promptIdsOf(again.stdout);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => historyPrompt(id)[2]['3']!.inputs.seed)).toEqual([500, 501]);
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

describe('files that reproduce their runs', () => {
  type Prompt = Record<string, Entry>;
  const nodesOf = (prompt: Prompt) => Object.fromEntries(Object.entries(prompt).map(([id, node]) => [id, { class_type: node.class_type, inputs: node.inputs }]));

  it.each([
    ['a UI workflow (the seed in a PrimitiveNode, the text in a titled widget)', () => writeJson('ui.json', uiTxt2img('repro-ui', 'a red fox', 900)), 'Positive Prompt.inputs.text=a blue fox', true],
    ['an API-format workflow', () => path.join(ROOT, 'examples', 'workflows', 'text2image.json'), '6.inputs.text=a blue fox', false],
  ])('%s: a --set and --count run saves PNGs whose re-run posts the same prompt, node by node', async (_label, template, set, embedsWorkflow) => {
    const run = await cli(['--json', 'run', template(), '--url', fake.url, '--count', '2', '--set', set, '--set', '5.inputs.width=32', '--out', 'first']);
    expect(run.code).toBe(ExitCode.ok);
    const runs = runsOf(run.stdout);
    expect(runs).toHaveLength(2);
    const second = runs[1]!;
    const posted = historyPrompt(second.promptId)[2];
    expect(posted['6']!.inputs.text).toBe('a blue fox');
    expect(posted['5']!.inputs.width).toBe(32);
    expect(posted['3']!.inputs.seed).toBe((historyPrompt(runs[0]!.promptId)[2]['3']!.inputs.seed as number) + 1);
    const [png] = second.files.filter((file) => file.endsWith('.png'));
    const again = await cli(['--json', 'run', path.resolve(workDir, png!), '--url', fake.url, '--out', 'again']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: ExitCode.ok, stderr: expect.any(String) });
    const [rerun] = runsOf(again.stdout);
    const [, , prompt, extra] = historyPrompt(rerun!.promptId);
    expect(nodesOf(prompt)).toEqual(nodesOf(posted));
    expect(Array.isArray((extra['extra_pnginfo']?.workflow as { nodes?: unknown } | undefined)?.nodes)).toBe(embedsWorkflow);
    expect(again.stderr).not.toMatch(/embed the API prompt instead/);
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
