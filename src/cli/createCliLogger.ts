import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { REDACT_PATHS } from '../log';
import type { LogSink } from './logSink';

/** Log levels the CLI accepts for `--log-level`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createCliLogger}. */
export interface CliLoggerOptions {
  readonly level: LogLevel;
  /** Human lines (pino-pretty, colours) instead of JSON lines: for a terminal. */
  readonly pretty: boolean;
  readonly sink: LogSink;
}

/**
 * The CLI's pino logger: JSON lines (or pretty lines on a terminal) written synchronously to the
 * sink (stderr) with their level (the sink holds low levels while progress bars draw),
 * credentials redacted (`authorization`, `password`, `token`).
 */
export function createCliLogger(options: CliLoggerOptions): Logger {
  const prettify = options.pretty ? prettyFactory({ colorize: true, ignore: 'pid,hostname,lib,component', translateTime: 'SYS:HH:MM:ss' }) : undefined;
  return pino(
    { level: options.level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[Redacted]' } },
    { write: (line: string) => options.sink.write(prettify ? prettify(line) : line, levelOf(line)) },
  );
}

/** The `level` of one of pino's JSON lines (it is the first key pino writes). */
function levelOf(line: string): number | undefined {
  const match = /^\{"level":(\d+)/.exec(line);
  return match ? Number(match[1]) : undefined;
}
