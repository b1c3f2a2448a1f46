/**
 * Runs every example with tsx, as a user would, against its embedded FakeComfyServer
 * (COMFYUI_URL unset), each in a fresh folder. No sleeps: each waits for its process to exit.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly dir: string;
}

/** Examples at once: each is a tsx process; more than the cores only makes every one slower. */
const PARALLEL = 2;
/** Generous: a loaded CI machine compiles with tsx slowly, and tests wait their turn. */
const EXAMPLE_TIMEOUT_MS = 120_000;

let running = 0;
const waiting: Array<() => void> = [];
/** Runs `task` when fewer than {@link PARALLEL} are running. */
async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `npx tsx examples/<file> ...args` in a fresh folder, stdin from `input`. */
function runExample(file: string, args: readonly string[] = [], input?: string): Promise<Run> {
  return inTurn(() => spawnExample(file, args, input));
}

function spawnExample(file: string, args: readonly string[], input: string | undefined): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'comfyrx-example-'));
  dirs.push(dir);
  const { COMFYUI_URL: _unset, ...env } = process.env;
  const child = spawn(TSX, ['--tsconfig', path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'examples', file), ...args], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, dir }));
  });
}

const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

beforeAll(() => {
  if (!existsSync(TSX)) throw new Error(`${TSX} is missing: run npm install (tsx is a devDependency)`);
});

describe('examples', () => {
  it.concurrent('quick-draw asks on stdin, then draws one character image with progress lines', async () => {
    const run = await runExample('quick-draw.ts', [], '1\na wizard frog with a tiny hat\n');
    expect(run.output).toContain('What shall we draw?');
    expect(run.code).toBe(0);
    expect(run.output).toContain('Drawing "a wizard frog with a tiny hat"');
    expect(run.output).toMatch(/running node 3 KSampler 50%/);
    expect(filesIn(path.join(run.dir, 'output', 'quick-draw')).filter((name) => name.endsWith('.png'))).toHaveLength(1);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('quick-draw 2 (from argv) draws a small batch', async () => {
    const run = await runExample('quick-draw.ts', ['2']);
    expect(run.code).toBe(0);
    expect(run.output).toContain('3/3 done');
    expect(filesIn(path.join(run.dir, 'output', 'quick-draw'))).toHaveLength(3);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('quick-draw 3 draws a short video (animated WebP)', async () => {
    const run = await runExample('quick-draw.ts', ['3']);
    expect(run.code).toBe(0);
    expect(filesIn(path.join(run.dir, 'output', 'quick-draw')).filter((name) => name.endsWith('.webp'))).toHaveLength(1);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('async-iterate walks a prompt and a batch with for await', async () => {
    const run = await runExample('async-iterate.ts');
    expect(run.code).toBe(0);
    expect(run.output).toContain('node 3 (KSampler)');
    expect(run.output).toContain('step 20/20');
    expect(run.output).toContain('2/2 done');
    expect(filesIn(path.join(run.dir, 'output', 'async-iterate'))).toHaveLength(3);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('compose shares one batch between scan, bufferCount and the summary', async () => {
    const run = await runExample('compose.ts');
    expect(run.code).toBe(0);
    expect(run.output).toContain('stats: 5 ok, 0 failed');
    expect(run.output).toMatch(/contact sheet of 2: .+ \+ .+/);
    expect(run.output).toContain('summary: 5/5 done, 5 files');
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('chain turns the stills of a text-to-image batch into the inputs of an image-to-video batch, with no upload', async () => {
    const run = await runExample('chain.ts');
    expect(run.code).toBe(0);
    expect(run.output).toContain('stage 1: 2 stills');
    expect(run.output).toMatch(/queued with \{"78\.inputs\.image":"ComfyUI_\d+_\.png \[output\]"\}/);
    expect(run.output).toContain('stage 2: 2/2 videos');
    expect(run.output).toContain('uploads to the server: 0');
    expect(filesIn(path.join(run.dir, 'output', 'chain', 'videos')).filter((name) => name.endsWith('.webp'))).toHaveLength(2);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('manual-connection runs three workflows on one connection', async () => {
    const run = await runExample('manual-connection.ts');
    expect(run.code).toBe(0);
    expect(run.output).toContain('3 workflows on 1 connection');
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('build-workflow builds both templates in code, validated, and runs them', async () => {
    const run = await runExample('build-workflow.ts');
    expect(run.code).toBe(0);
    expect(run.output).toContain('text2image: built 7 nodes (3, 4, 5, 6, 7, 8, 9), valid for this server');
    expect(run.output).toMatch(/text2video: prompt \S+ done in \d+ ms, outputs of node\(s\) 41/);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('queue runs two jobs through a Redis queue and a worker, following each with events$', async () => {
    const run = await runExample('queue.ts');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/example-1: running on .+ \(prompt [\w-]+\)/);
    expect(run.output).toMatch(/example-2: completed, saved .+\.png/);
    expect(run.output).toMatch(/result of example-1: prompt [\w-]+ on .+, 1 file\(s\)/);
    expect(filesIn(path.join(run.dir, 'output', 'queue', 'example-1'))).toHaveLength(1);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent('queue-service verifies a signed webhook of a job and reads /readyz and /metrics', async () => {
    const run = await runExample('queue-service.ts');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/webhook verified: job\.completed for job (\S+) \(added as \1\)/);
    expect(run.output).toContain('/readyz: 200');
    expect(run.output).toMatch(/comfyui_rx_jobs_total\{state="completed"\} 1/);
  }, EXAMPLE_TIMEOUT_MS);

  it.concurrent("cancel shows, from the server's queue and history, a pending prompt removed and a running one interrupted", async () => {
    const run = await runExample('cancel.ts');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/pending prompt \w+: in the queue: no; history: none \(it never ran\)/);
    expect(run.output).toMatch(/running prompt \w+: in the queue: no; history: error \(.*execution_interrupted\)/);
  }, EXAMPLE_TIMEOUT_MS);
});
