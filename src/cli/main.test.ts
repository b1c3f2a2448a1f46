/**
 * The real binary (`node dist/cli/main.js`, built by `npm test` before jest) against a
 * FakeComfyServer started here. No sleeps: every wait is on process exit or an output line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type Socket, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeComfyServer } from '../testing';
import { ExitCode } from './exitCodes';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const TEXT2IMAGE = path.join(ROOT, 'examples', 'workflows', 'text2image.json');
const PNG_SIGNATURE = '89504e470d0a1a0a';

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a child: ours without COMFYUI_URL (and without colours), plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { COMFYUI_URL: _ignored, ...env } = process.env;
  return { ...env, NO_COLOR: '1', ...extra };
}

function start(args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? workDir, env: childEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Collects a child's output until it exits. */
function finished(child: ChildProcess, stdin?: string): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cli = (args: readonly string[], options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<Finished> =>
  finished(start(args, options), options.stdin);

/** Resolves with the first stdout line matching `pattern`. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited (${code}) before a line matched ${pattern}; stdout:\n${buffered}`)));
  });
}

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const noStackTrace = (text: string): void => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

const pngsIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.png')) : []);

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let fake: FakeComfyServer;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` builds before jest)`);
  fake = await FakeComfyServer.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'comfyrx-cli-'));
});
afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('comfyui-rx run', () => {
  it('runs a workflow with --set and --count, saves viewable PNGs, prints progress lines, exits 0', async () => {
    const result = await cli(['run', TEXT2IMAGE, '--set', '6.inputs.text=a lighthouse at dusk', '--set', '3.inputs.steps=4', '--count', '2', '--out', 'pics'], {
      env: { COMFYUI_URL: fake.url },
    });
    expect(result.stderr).not.toMatch(/"level":50/);
    expect(result.code).toBe(ExitCode.ok);
    const files = pngsIn(path.join(workDir, 'pics'));
    expect(files).toHaveLength(2);
    expect(readdirSync(path.join(workDir, 'pics')).length).toBe(2);
    expect(result.stdout).toContain('[1/2] running node 3 KSampler');
    expect(result.stdout).toMatch(/^\[2\/2\] done in [\d.]+s, 1 file$/m);
    expect(result.stdout).toMatch(/^2\/2 done, 2 files saved in pics\/ \([\d.]+s\)$/m);
    const first = path.join(workDir, 'pics', files[0]);
    expect(readFileSync(first).subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
  });

  it('writes JSON lines with --json and keeps stdout free of logs', async () => {
    const result = await cli(['--json', 'run', TEXT2IMAGE, '--set', '3.inputs.steps=2', '--url', fake.url, '--out', 'out']);
    expect(result.code).toBe(ExitCode.ok);
    const objects = jsonLines(result.stdout);
    expect(objects.every((o) => typeof o.type === 'string' && o.level === undefined)).toBe(true);
    expect(objects.find((o) => o.type === 'saved')).toMatchObject({ file: { kind: 'images', nodeId: '9' } });
    expect(objects[objects.length - 1]).toMatchObject({ type: 'summary', total: 1, done: 1, failed: 0, files: 1 });
    // the logs on stderr: JSON lines, each key once (no `component` twice), no guess of what the server is
    const logLines = result.stderr.trim().split('\n');
    expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('socket open');
    for (const line of logLines) expect(line.match(/"component":/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(result.stderr).not.toContain('"fake"');
  });

  it('says what it does not save: temp files (saved with --include-temp) and images sent over the socket', async () => {
    const file = path.join(workDir, 'previews.json');
    const image = { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } };
    writeFileSync(
      file,
      JSON.stringify({
        '1': image,
        '2': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
        '3': { class_type: 'SaveImageWebsocket', inputs: { images: ['1', 0] } },
        '4': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'kept' } },
      }),
    );
    const [plain, withTemp] = await Promise.all([cli(['run', file, '--url', fake.url, '--out', 'plain']), cli(['run', file, '--url', fake.url, '--out', 'temp', '--include-temp'])]);
    expect([plain.code, withTemp.code]).toEqual([ExitCode.ok, ExitCode.ok]);
    expect(plain.stdout).toContain('[1/1] not saved: 1 temp file of node 2 (PreviewImage): --include-temp saves it\n');
    expect(plain.stdout).toContain('[1/1] not saved: node 3 (SaveImageWebsocket) sends its images over the socket, not as files: nothing to save\n');
    expect(pngsIn(path.join(workDir, 'plain'))).toEqual([expect.stringMatching(/^kept_\d+_\.png$/)]); // the two runs share the fake's counter
    expect(withTemp.stdout).not.toContain('temp file');
    expect(withTemp.stdout).toContain('[1/1] not saved: node 3 (SaveImageWebsocket)');
    expect(pngsIn(path.join(workDir, 'temp')).sort()).toEqual([expect.stringMatching(/^ComfyUI_temp_\w+_00001_\.png$/), expect.stringMatching(/^kept_\d+_\.png$/)]);
  });

  it('exits 4 when the server rejects the workflow, naming the node', async () => {
    const file = path.join(workDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ '1': { class_type: 'NoSuchNode', inputs: {} } }));
    const result = await cli(['run', file, '--url', fake.url]);
    expect(result.code).toBe(ExitCode.rejected);
    expect(result.stdout).toMatch(/\[1\/1\] failed: .*NoSuchNode/);
    noStackTrace(result.stdout + result.stderr);
  });

  it('exits 1 when a node fails while running, and tells which', async () => {
    const file = path.join(workDir, 'fail.json');
    const workflow = {
      '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      '2': { class_type: 'FailAlways', inputs: { image: ['1', 0], message: 'the cat knocked it over' } },
      '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'never' } },
    };
    writeFileSync(file, JSON.stringify(workflow));
    const result = await cli(['run', file, '--url', fake.url]);
    expect(result.code).toBe(ExitCode.itemsFailed);
    expect(result.stdout).toContain('Node 2 (FailAlways) failed');
    expect(result.stdout).toContain('the cat knocked it over');
    noStackTrace(result.stdout + result.stderr);
  });

  it('exits 130 on Ctrl-C, cancels the running prompt on the server and says what was saved', async () => {
    fake.setStepLatency(200);
    try {
      const child = start(['run', TEXT2IMAGE, '--url', fake.url, '--out', 'out', '--count', '2', '--set', '3.inputs.steps=2']);
      const exit = finished(child);
      const interrupted = fake.waitFor('prompt-finished', (event) => event.status === 'interrupted');
      await lineMatching(child, /^\[2\/2\] running node 3 KSampler/);
      child.kill('SIGINT');
      await expect(interrupted).resolves.toMatchObject({ status: 'interrupted' });
      const result = await exit;
      expect(result.code).toBe(ExitCode.interrupted);
      const [saved] = pngsIn(path.join(workDir, 'out'));
      expect(pngsIn(path.join(workDir, 'out'))).toHaveLength(1);
      expect(result.stdout).toContain(`interrupted: 1/2 done, 1 file saved in out/:\n  out/${saved}\n`);
    } finally {
      fake.setStepLatency(0);
    }
  });
});

describe('comfyui-rx generate', () => {
  it('draws one picture per description (and --per), into --out, exit 0', async () => {
    const descriptions = path.join(workDir, 'descriptions.txt');
    writeFileSync(descriptions, '# two things\na red fox\n\na blue whale\n');
    const result = await cli(['generate', '--descriptions', descriptions, '--per', '2', '--seed', '7', '--set', '3.inputs.steps=2', '--out', 'gen'], {
      env: { COMFYUI_URL: fake.url },
    });
    expect(result.code).toBe(ExitCode.ok);
    expect(pngsIn(path.join(workDir, 'gen')).sort()).toEqual(['1-a-red-fox-1-7.png', '1-a-red-fox-2-8.png', '2-a-blue-whale-1-9.png', '2-a-blue-whale-2-10.png']);
    expect(result.stdout).toContain('[1/4] image 1/2 "a red fox"');
    expect(result.stdout).toMatch(/^4\/4 done, 4 files saved in gen\/ /m);
  });

  it('a template the server rejects is told once, and the other items are not sent (exit 4)', async () => {
    const file = path.join(workDir, 'steps0.json');
    const workflow = JSON.parse(readFileSync(TEXT2IMAGE, 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
    workflow['3']!.inputs.steps = 0;
    writeFileSync(file, JSON.stringify(workflow));
    const posts = fake.stats.promptPosts.size;
    const result = await cli(['generate', '--descriptions', '-', '--workflow', file, '--url', fake.url, '--out', 'gen'], { stdin: 'a fox\na cat\na dog\n' });
    expect(result.code).toBe(ExitCode.rejected);
    expect(fake.stats.promptPosts.size - posts).toBe(1);
    expect(result.stdout.split('Value 0 smaller than min of 1')).toHaveLength(2);
    expect(result.stdout).toContain('[1/3] failed: Prompt outputs failed validation\n  node 3 (KSampler): Value 0 smaller than min of 1 (steps)\n');
    expect(result.stdout).toMatch(/^0\/3 done, 1 failed, 2 not sent, 0 files saved in gen\/ .*\n {2}failed: \[1\/3\] \(why: above\)\n {2}stopped: the server rejected the workflow, so the other 2 items were not sent$/m);
  });

  it('reads descriptions from stdin with -', async () => {
    const result = await cli(['generate', '--descriptions', '-', '--set', '3.inputs.steps=1', '--url', fake.url, '--out', 'stdin'], { stdin: 'a teapot\n' });
    expect(result.code).toBe(ExitCode.ok);
    expect(pngsIn(path.join(workDir, 'stdin'))).toHaveLength(1);
  });

  it('is a usage error (2) when the strategy cannot find where the text goes, before connecting', async () => {
    const file = path.join(workDir, 'no-text.json');
    writeFileSync(file, JSON.stringify({ '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color: 0 } } }));
    const descriptions = path.join(workDir, 'd.txt');
    writeFileSync(descriptions, 'a fox\n');
    const result = await cli(['generate', '--descriptions', descriptions, '--workflow', file, '--url', `http://127.0.0.1:${await closedPort()}`]);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/text2image/);
    noStackTrace(result.stderr);
  });
});

describe('comfyui-rx health', () => {
  it('prints versions and the queue as JSON with --json', async () => {
    const result = await cli(['health', '--json'], { env: { COMFYUI_URL: fake.url } });
    expect(result.code).toBe(ExitCode.ok);
    const [health] = jsonLines(result.stdout);
    expect(health).toMatchObject({ type: 'health', ok: true, url: `${fake.url}/`, system: { comfyui_version: expect.any(String) }, queue: { running: 0, pending: 0 } });
  });

  it('exits 3 when the server cannot be reached, with one clear line', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await cli(['health', '--url', url]);
    expect(result.code).toBe(ExitCode.unreachable);
    expect(result.stderr).toContain(`comfyui-rx: Cannot reach ComfyUI at ${url}/`);
    noStackTrace(result.stderr);
  });

  it('exits 3, saying why, against a web server that is not ComfyUI and against a port that accepts and never answers', async () => {
    const web = createHttpServer((_req, res) => res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'));
    const silent = createServer(() => undefined); // accepts, never answers
    const sockets = new Set<Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    await Promise.all([web, silent].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    const urlOf = (server: { address(): unknown }) => `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const [notComfy, hanging] = await Promise.all([cli(['health', '--url', urlOf(web)]), cli(['run', TEXT2IMAGE, '--url', urlOf(silent), '--connect-timeout', '0.5'])]);
      expect([notComfy.code, hanging.code]).toEqual([ExitCode.unreachable, ExitCode.unreachable]);
      expect(notComfy.stderr).toContain(`comfyui-rx: The server at ${urlOf(web)}/ is not a ComfyUI server we can use: GET /prompt answered 404`);
      expect(hanging.stderr).toContain(`comfyui-rx: Cannot reach ComfyUI at ${urlOf(silent)}/: no answer within 0.5 s (--connect-timeout)`);
      expect(sockets.size).toBeGreaterThan(0); // it did accept
    } finally {
      for (const socket of sockets) socket.destroy();
      await Promise.all([web, silent].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('never prints the credentials of the URL', async () => {
    const port = await closedPort();
    const result = await cli(['health', '--log-level', 'debug'], { env: { COMFYUI_URL: `http://alice:s3cr3t-pw@127.0.0.1:${port}` } });
    expect(result.code).toBe(ExitCode.unreachable);
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-pw');
    expect(result.stderr).toContain(`http://127.0.0.1:${port}/`);
  });
});

describe('comfyui-rx usage errors', () => {
  // Concurrent (no files, no per-test setup): each case is one short process.
  it.concurrent.each([
    [['run'], /missing required argument 'workflow'/],
    [['run', 'missing.json'], /cannot read workflow missing.json: ENOENT/],
    [['run', TEXT2IMAGE, '--count', 'zero'], /--count <n>.*invalid.*whole number/],
    [['run', TEXT2IMAGE, '--set', 'text=a fox'], /--set text=a fox: the path needs a node id and a key/],
    [['run', TEXT2IMAGE, '--set', '99.inputs.text=x'], /node 99 is not in the workflow/],
    [['generate', '--descriptions', 'd.txt', '--strategy', 'text2music'], /--strategy.*text2music.*Allowed choices are text2image, text2video/],
    [['generate'], /--descriptions FILE is needed \(or --inputs with an image strategy\)/],
    [['health', '--url', 'localhost:8188'], /must start with http:\/\/ or https:\/\//],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run', TEXT2IMAGE, '--colour'], /unknown option '--colour'/],
  ])('%j exits 2 with a message and no stack trace', async (args, message) => {
    const result = await cli(args, { env: { COMFYUI_URL: fake.url }, cwd: tmpdir() });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('--help');
    noStackTrace(result.stderr);
  });

  it('a JSON file that is neither format is a usage error naming both', async () => {
    const file = path.join(workDir, 'neither.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const result = await cli(['run', file, '--url', fake.url]);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toMatch(/neither a UI workflow .* nor an API-format workflow/);
  });
});

describe('comfyui-rx --help', () => {
  it.concurrent.each([[[]], [['run']], [['convert']], [['generate']], [['health']], [['fake']], [['demo']]])('%j --help shows usage and the exit codes, exit 0', async (command) => {
    const result = await cli([...command, '--help'], { cwd: tmpdir() });
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/^Usage: comfyui-rx/);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toContain('3    cannot reach the server');
  });
});

describe('comfyui-rx fake', () => {
  it('serves until Ctrl-C, then exits 0', async () => {
    const child = start(['fake', '--port', '0']);
    const exit = finished(child);
    const line = await lineMatching(child, /listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] as string;
    const health = await cli(['health', '--json', '--url', url]);
    expect(health.code).toBe(ExitCode.ok);
    child.kill('SIGINT');
    const result = await exit;
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toContain('FakeComfyServer stopped');
  });

  it('--server-version answers as that ComfyUI (version, feature flags, its routes); a malformed version is a usage error', async () => {
    const child = start(['fake', '--port', '0', '--server-version', '0.38.1']);
    const exit = finished(child);
    const line = await lineMatching(child, /listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] as string;
    const stats = (await (await fetch(`${url}/system_stats`)).json()) as { system: { comfyui_version: string } };
    const features = (await (await fetch(`${url}/features`)).json()) as Record<string, unknown>;
    const replacements = await fetch(`${url}/node_replacements`);
    child.kill('SIGINT');
    expect((await exit).code).toBe(ExitCode.ok);
    expect(stats.system.comfyui_version).toBe('0.38.1');
    expect(features).toMatchObject({ node_replacements: true, supports_model_type_tags: true });
    expect(replacements.status).toBe(200);
    const bad = await cli(['fake', '--port', '0', '--server-version', 'latest']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toContain('expected a ComfyUI version like 0.8.0 or 0.38.1');
  });
});

describe('comfyui-rx demo', () => {
  it('draws the shipped descriptions on an embedded fake when COMFYUI_URL is unset, says so, exits 0', async () => {
    const result = await cli(['demo']);
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toContain('COMFYUI_URL is not set: the demo runs on an embedded FakeComfyServer');
    const files = pngsIn(path.join(workDir, 'output'));
    expect(files).toHaveLength(4);
    expect(result.stdout).toMatch(/^4\/4 done, 4 files saved in output\/ /m);
  });
});

describe('comfyui-rx validate', () => {
  const OBJECT_INFO_080 = path.join(ROOT, 'src', 'workflow', '__fixtures__', 'object_info-0.8.0.json');
  const recorded = readFileSync(path.join(ROOT, 'src', 'workflow', '__fixtures__', 'validation.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { case: string; request: { prompt: unknown }; body: Record<string, unknown> });
  const caseFile = (name: string): string => {
    const file = path.join(workDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(recorded.find((c) => c.case === name)?.request.prompt));
    return file;
  };

  it('prints the answer the real 0.8.0 server gave, from a saved /object_info, and exits 4 (--json)', async () => {
    const file = caseFile('combo_value_not_in_list');
    const result = await cli(['validate', file, '--object-info', OBJECT_INFO_080, '--json']);
    expect(result.code).toBe(ExitCode.rejected);
    const [line, ...rest] = jsonLines(result.stdout);
    expect(rest).toEqual([]);
    const { body } = recorded.find((c) => c.case === 'combo_value_not_in_list')!;
    expect(line).toEqual({ type: 'validation', file, status: 400, ...body });
  });

  it('--server-version answers as that server: a newer one names the missing node type', async () => {
    const result = await cli(['validate', caseFile('unknown_class_type'), '--object-info', OBJECT_INFO_080, '--server-version', '0.38.1']);
    expect(result.code).toBe(ExitCode.rejected);
    expect(result.stdout).toContain("invalid: missing_node_type: Node 'DoesNotExist' not found. The custom node may not be installed.");
  });

  it('exits 0 for a valid workflow and names the outputs that would run', async () => {
    const result = await cli(['validate', caseFile('valid_invert_preview'), '--object-info', OBJECT_INFO_080]);
    expect(result.code).toBe(ExitCode.ok);
    expect(result.stdout).toMatch(/valid_invert_preview\.json: valid \(outputs 3 would run\)/);
  });

  it("asks the server at --url for its /object_info, and names each failing node's reasons", async () => {
    expect((await cli(['validate', TEXT2IMAGE, '--url', fake.url])).code).toBe(ExitCode.ok);
    const file = path.join(workDir, 'bad.json');
    const workflow = JSON.parse(readFileSync(TEXT2IMAGE, 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
    workflow['3']!.inputs.steps = 0;
    writeFileSync(file, JSON.stringify(workflow));
    const result = await cli(['validate', file], { env: { COMFYUI_URL: fake.url } });
    expect(result.code).toBe(ExitCode.rejected);
    expect(result.stdout).toContain('invalid: prompt_outputs_failed_validation: Prompt outputs failed validation');
    expect(result.stdout).toContain('node 3 (KSampler): value_smaller_than_min: Value 0 smaller than min of 1: steps');
    noStackTrace(result.stdout + result.stderr);
  });

  it('is a usage error (2) for an unreadable file, a bad /object_info file, or both --url and --object-info', async () => {
    expect((await cli(['validate', path.join(workDir, 'missing.json'), '--object-info', OBJECT_INFO_080])).code).toBe(ExitCode.usage);
    const notInfo = path.join(workDir, 'info.json');
    writeFileSync(notInfo, '[1, 2]');
    expect((await cli(['validate', TEXT2IMAGE, '--object-info', notInfo])).code).toBe(ExitCode.usage);
    const both = await cli(['validate', TEXT2IMAGE, '--object-info', OBJECT_INFO_080, '--url', fake.url]);
    expect([both.code, both.stderr]).toEqual([ExitCode.usage, expect.stringContaining('either --url or --object-info')]);
  });

  it('converts a UI-format file first: the same answer as for its API export', async () => {
    const fixture = (suffix: string) => path.join(ROOT, 'src', 'workflow', '__fixtures__', `lora__lora_multiple.${suffix}.json`);
    const [ui, api] = await Promise.all([fixture('workflow'), fixture('prompt')].map((file) => cli(['validate', file, '--object-info', OBJECT_INFO_080, '--json'])));
    expect([ui!.code, api!.code]).toEqual([ExitCode.rejected, ExitCode.rejected]);
    const answer = ({ file: _file, ...rest }: Record<string, unknown>) => rest;
    expect(answer(jsonLines(ui!.stdout)[0]!)).toEqual(answer(jsonLines(api!.stdout)[0]!));
    expect(jsonLines(ui!.stdout)[0]).toMatchObject({ status: 400, node_errors: { '4': { errors: [{ type: 'value_not_in_list', details: expect.stringContaining('ckpt_name') }] } } });
  });

  it('exits 3 when the server cannot be reached', async () => {
    expect((await cli(['validate', TEXT2IMAGE, '--url', `http://127.0.0.1:${await closedPort()}`])).code).toBe(ExitCode.unreachable);
  });
});
