import { CommanderError } from 'commander';
import { ComfyConnectionError, ComfyHttpError, ComfyOptionsError, ComfyValidationError } from '../errors';
import { CliUsageError } from './CliUsageError';
import { ExitCode } from './exitCodes';

/** `ComfyLocateError` (batch), told by its code so that usage errors do not load the batch module. */
const isLocateError = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'COMFYRX_LOCATE';

/** Status codes meaning "you may not use this server" rather than "this request failed". */
const ACCESS_DENIED = new Set([401, 403]);

/** `ComfyInputError` (an input file that cannot be read, fetched or placed), told by its code. */
const inputFailure = (error: unknown): { reason?: unknown; cause?: unknown } | undefined =>
  (error as { code?: unknown } | null)?.code === 'COMFYRX_INPUT' ? (error as { reason?: unknown; cause?: unknown }) : undefined;

/** The exit code an error ends the program with (see {@link ExitCode}). */
export function exitCodeOf(error: unknown): ExitCode {
  const input = inputFailure(error);
  if (input) return input.reason === 'upload-failed' ? exitCodeOf(input.cause) : ExitCode.usage; // the file given, not the server
  if (error instanceof CliUsageError || error instanceof ComfyOptionsError || isLocateError(error) || error instanceof CommanderError) return ExitCode.usage;
  if (error instanceof ComfyConnectionError) return ExitCode.unreachable;
  if (error instanceof ComfyHttpError && ACCESS_DENIED.has(error.status)) return ExitCode.unreachable;
  if (error instanceof ComfyValidationError) return ExitCode.rejected;
  return ExitCode.itemsFailed;
}

/** The exit code of a batch from its failures: the most telling one wins (3, then 4, then 2, then 1). */
export function exitCodeOfFailures(errors: readonly unknown[]): ExitCode {
  if (errors.length === 0) return ExitCode.ok;
  const codes = errors.map(exitCodeOf);
  for (const code of [ExitCode.unreachable, ExitCode.rejected, ExitCode.usage]) if (codes.includes(code)) return code;
  return ExitCode.itemsFailed;
}
