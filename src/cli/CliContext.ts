import type { Logger } from 'pino';
import type { LogSink } from './logSink';

/** What every command gets: where to write, how to log, and when to stop. */
export interface CliContext {
  /** `--json`: JSON lines on stdout, nothing else there. */
  readonly json: boolean;
  /** Draw progress bars (stdout is a terminal and not `--json`). */
  readonly bars: boolean;
  /** `--url` as given (resolved with `COMFYUI_URL` by `serverUrl`). */
  readonly urlFlag: string | undefined;
  /** The server's API and key (`--api`/`COMFY_API`, `--api-key`/`COMFY_API_KEY`), for every client a command makes (see `clientOptions`). */
  readonly api: 'native' | 'v2' | 'auto';
  readonly apiKey: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** `--connect-timeout` in ms: how long a server may take to answer the first request (see `checkServer`). */
  readonly connectTimeoutMs: number;
  readonly logger: Logger;
  readonly sink: LogSink;
  readonly stdout: NodeJS.WriteStream;
  /** stdin, opened only when a command reads it (`--descriptions -`). */
  openStdin(): NodeJS.ReadableStream;
  /** Aborted by Ctrl-C (SIGINT). */
  readonly signal: AbortSignal;
  /** Writes program output (results, plain progress lines, JSON lines) to stdout. */
  out(text: string): void;
}
