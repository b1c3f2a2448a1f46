import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { ComfyRxError } from '../errors';
import type { CliContext } from './CliContext';
import { CliUsageError } from './CliUsageError';
import { createCliLogger } from './createCliLogger';
import { ExitCode } from './exitCodes';
import { exitCodeOf } from './exitCodeOf';
import { LogSink } from './logSink';
import { packageRoot } from './packageRoot';
import { type GlobalOptions, buildProgram } from './program';
import { describeError } from './render/describeError';
import { errorToJson } from './render/errorToJson';
import { toError } from '../util/toError';

/** The process around the CLI (injectable for tests). */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Opened only when needed, so an unused stdin never holds the process. */
  openStdin(): NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}

const packageVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
};

/**
 * Runs `comfyui-rx` with `argv` (without `node` and the script) and resolves to the exit code.
 * Never throws: usage errors print one line and a hint (exit 2), failures a message without a
 * stack trace (the stack is logged at `debug` level for unexpected errors).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok;
  let context: CliContext | undefined;
  const sink = new LogSink((text) => io.stderr.write(text));
  const makeContext = (options: GlobalOptions): CliContext => {
    const json = options.json;
    context = {
      json,
      bars: !json && !options.plain && io.stdout.isTTY === true,
      urlFlag: options.url,
      api: options.api ?? apiFromEnv(io.env.COMFY_API),
      apiKey: options.apiKey ?? (io.env.COMFY_API_KEY?.trim() || undefined),
      env: io.env,
      connectTimeoutMs: options.connectTimeout * 1000,
      logger: createCliLogger({ level: options.logLevel, pretty: io.stderr.isTTY === true, sink }),
      sink,
      stdout: io.stdout,
      openStdin: () => io.openStdin(),
      signal: io.signal,
      out: (text) => io.stdout.write(text),
    };
    return context;
  };
  const program = buildProgram(makeContext, (code) => (exitCode = code), packageVersion());
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage; // commander printed it
    const error = toError(err);
    const code = exitCodeOf(error);
    const hint = error instanceof CliUsageError ? ' (add --help for usage)' : '';
    io.stderr.write(`comfyui-rx: ${describeError(error)}${hint}\n`);
    if (context?.json) io.stdout.write(`${JSON.stringify({ type: 'error', exitCode: code, error: errorToJson(error) })}\n`);
    if (!(error instanceof ComfyRxError || error instanceof CliUsageError)) context?.logger.debug({ err: error }, 'unexpected error');
    return code;
  }
}

/** `COMFY_API` as an `--api` value (unset or unknown: native; an unknown value is a usage error at `--api` only). */
function apiFromEnv(value: string | undefined): 'native' | 'v2' | 'auto' {
  const text = value?.trim().toLowerCase();
  return text === 'v2' || text === 'auto' ? text : 'native';
}
