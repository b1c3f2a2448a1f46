import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A child process whose stdout lines can be awaited (no sleeps: tests wait for what it prints). */
export class LineProcess {
  readonly lines: string[] = [];
  private readonly waiters = new Set<{ test: (line: string) => boolean; resolve: (line: string) => void }>();
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) if (waiter.test(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // 'close', not 'exit': by then every line the process printed has been read
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  /** The first line (already printed, or to come) matching `pattern`; rejects if the process exits first. */
  waitLine(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = { test: (line: string) => pattern.test(line), resolve };
      this.waiters.add(waiter);
      void this.exited.then((code) => {
        if (!this.waiters.has(waiter)) return;
        this.waiters.delete(waiter);
        reject(new Error(`process exited (${code}) before printing ${pattern}: ${this.lines.join('\n')}\n${this.stderr}`));
      });
    });
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/**
 * `node --import tsx <script> ...args` from the repository root: ONE process (the `tsx` binary
 * would run the script in a child of its own, which a SIGKILL of the parent leaves running).
 */
export function spawnTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): LineProcess {
  return new LineProcess(spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** `comfyui-rx worker` in a process of its own, ready when it says so. */
export async function startWorker(redis: string, queue: string, urls: readonly string[], extra: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<LineProcess> {
  const worker = spawnTs('src/cli/main.ts', ['worker', '--redis', redis, '--queue', queue, '--url', urls.join(','), '--plain', '--log-level', 'warn', ...extra], env);
  await worker.waitLine(/^worker ready/);
  return worker;
}
