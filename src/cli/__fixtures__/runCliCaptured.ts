import { PassThrough } from 'node:stream';
import type { ExitCode } from '../exitCodes';
import { runCli } from '../runCli';

/** What one in-process run of the CLI printed, and its exit code. */
export interface CapturedRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `comfyui-rx ...argv` in this process, as the tests run it: stdout and stderr captured, no stdin,
 * the environment given (none by default, so a developer's COMFYUI_URL never leaks in), never
 * interrupted.
 * @example const { code, stdout } = await runCliCaptured(['--plain', 'health', '--url', fake.url]);
 */
export async function runCliCaptured(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CapturedRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.stream, stderr: stderr.stream, openStdin: () => new PassThrough(), env, signal: new AbortController().signal });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}
