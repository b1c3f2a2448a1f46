import { spawn } from 'node:child_process';

/** What one run of the built CLI in its own process printed, and how it exited (null: a signal). */
export interface SpawnedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `node <main> ...args` in a process of its own (the built CLI, `dist/cli/main.js`), without
 * colours and without stdin, until it closes.
 * @example const { code, stdout } = await spawnCliCaptured(MAIN, ['run', 'wf.json'], { cwd: dir, env });
 */
export function spawnCliCaptured(main: string, args: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<SpawnedRun> {
  const child = spawn(process.execPath, [main, ...args], { cwd: options.cwd, env: { ...options.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
