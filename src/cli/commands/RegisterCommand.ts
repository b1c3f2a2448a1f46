import type { Command } from 'commander';
import type { CliContext } from '../CliContext';
import type { ExitCode } from '../exitCodes';

/**
 * Wraps a command's action for commander: builds the command's {@link CliContext} from its options
 * (global ones included) and hands the exit code the action resolves to to the program.
 */
export type WithContext = <A extends unknown[]>(action: (ctx: CliContext, ...args: A) => Promise<ExitCode>) => (...args: A) => Promise<void>;

/**
 * Adds one command to the program: its arguments, options, help and action. The action loads the
 * command's module with `import()` when it runs, so `--help` and usage errors start fast: a
 * registration imports commander, option parsers and types only.
 *
 * @example
 * export const registerHealth: RegisterCommand = (program, withContext) => {
 *   program
 *     .command('health')
 *     .action(withContext((ctx) => import('./healthCommand').then(({ healthCommand }) => healthCommand(ctx))));
 * };
 */
export type RegisterCommand = (program: Command, withContext: WithContext) => void;
