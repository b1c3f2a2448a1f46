import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

/** The repository root (children resolve `tsx` from here). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Node flags of every benchmark child: a callable `gc()` and TypeScript through tsx. */
const CHILD_EXEC_ARGV = ['--expose-gc', '--import', 'tsx'];

type ChildReply<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: string };

/**
 * Forks `node --expose-gc --import tsx <script> <input as JSON>`, so a measurement (heap, RSS) sees
 * only what that process does. Resolves with the value the child passed to {@link childMain}.
 */
export function runChild<T>(script: string, input: unknown): Promise<T> {
  const child = forkTs(script, [JSON.stringify(input)]);
  return new Promise<T>((resolve, reject) => {
    let reply: ChildReply<T> | undefined;
    child.once('message', (message) => {
      reply = message as ChildReply<T>;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (reply?.ok) resolve(reply.result);
      else reject(new Error(`${path.basename(script)} failed (exit ${code ?? signal}): ${reply && !reply.ok ? reply.error : 'no reply'}`));
    });
  });
}

/** Forks a TypeScript script with the benchmark flags and an IPC channel (stdout/stderr inherited). */
export function forkTs(script: string, args: readonly string[]): ChildProcess {
  return fork(script, [...args], { cwd: REPO_ROOT, execArgv: CHILD_EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

/**
 * The body of a one-shot child: reads its input from argv, runs `work`, sends the result to the
 * parent and lets the process exit.
 */
export function childMain<I, O>(work: (input: I) => Promise<O>): void {
  const input = JSON.parse(process.argv[2] ?? 'null') as I;
  work(input).then(
    (result) => process.send?.({ ok: true, result } satisfies ChildReply<O>, () => process.disconnect()),
    (error: unknown) => {
      process.send?.({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ChildReply<O>, () => process.disconnect());
      process.exitCode = 1;
    },
  );
}

/** The `gc()` of `--expose-gc`; throws when the process was started without it. */
export function exposedGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('run this child with node --expose-gc');
  return gc;
}
