import { CommanderError } from 'commander';
import { ComfyLocateError } from '../batch';
import { ComfyConnectionError, ComfyExecutionError, ComfyHttpError, ComfyInterruptedError, ComfyOptionsError, ComfyPromptRejectedError, ComfyTimeoutError } from '../errors';
import { CliUsageError } from './CliUsageError';
import { ExitCode } from './exitCodes';
import { exitCodeOf, exitCodeOfFailures } from './exitCodeOf';

const validation = new ComfyPromptRejectedError('Prompt outputs failed validation', 'prompt_outputs_failed_validation', {});
const connection = new ComfyConnectionError('Cannot reach ComfyUI', 'http://127.0.0.1:1');
const execution = new ComfyExecutionError('p', '3', 'KSampler', 'boom', 'RuntimeError', []);

describe('exitCodeOf', () => {
  it('maps usage mistakes to 2', () => {
    expect(exitCodeOf(new CliUsageError('bad'))).toBe(ExitCode.usage);
    expect(exitCodeOf(new ComfyOptionsError('bad'))).toBe(ExitCode.usage);
    expect(exitCodeOf(new ComfyLocateError('text2image', [], []))).toBe(ExitCode.usage);
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(ExitCode.usage);
  });

  it('maps an unreachable server, and a refused one (401/403), to 3', () => {
    expect(exitCodeOf(connection)).toBe(ExitCode.unreachable);
    expect(exitCodeOf(new ComfyHttpError(401, 'GET', 'http://h/prompt', ''))).toBe(ExitCode.unreachable);
    expect(exitCodeOf(new ComfyHttpError(500, 'GET', 'http://h/prompt', ''))).toBe(ExitCode.itemsFailed);
  });

  it('maps a rejected workflow to 4 and other failures to 1', () => {
    expect(exitCodeOf(validation)).toBe(ExitCode.rejected);
    expect(exitCodeOf(execution)).toBe(ExitCode.itemsFailed);
    expect(exitCodeOf(new ComfyInterruptedError('p'))).toBe(ExitCode.itemsFailed);
    expect(exitCodeOf(new ComfyTimeoutError('p', 5))).toBe(ExitCode.itemsFailed);
    expect(exitCodeOf(new Error('?'))).toBe(ExitCode.itemsFailed);
  });
});

describe('exitCodeOfFailures', () => {
  it('is 0 without failures, and the most telling code otherwise (3, then 4, then 1)', () => {
    expect(exitCodeOfFailures([])).toBe(ExitCode.ok);
    expect(exitCodeOfFailures([execution])).toBe(ExitCode.itemsFailed);
    expect(exitCodeOfFailures([execution, validation])).toBe(ExitCode.rejected);
    expect(exitCodeOfFailures([validation, connection, execution])).toBe(ExitCode.unreachable);
  });
});
