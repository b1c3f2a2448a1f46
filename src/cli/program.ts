import { Command, Option } from 'commander';
import type { CliContext } from './CliContext';
import { LOG_LEVELS, type LogLevel } from './createCliLogger';
import { EXIT_CODES_HELP, type ExitCode } from './exitCodes';
import { optionValues } from './optionValues';
import type { RegisterCommand, WithContext } from './commands/RegisterCommand';
import { registerCodegen } from './commands/registerCodegen';
import { registerConvert } from './commands/registerConvert';
import { registerDemo } from './commands/registerDemo';
import { registerEnqueue } from './commands/registerEnqueue';
import { registerFake } from './commands/registerFake';
import { registerGenerate } from './commands/registerGenerate';
import { registerHealth } from './commands/registerHealth';
import { registerJobs } from './commands/registerJobs';
import { registerRun } from './commands/registerRun';
import { registerUpload } from './commands/registerUpload';
import { registerValidate } from './commands/registerValidate';
import { registerWorker } from './commands/registerWorker';

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  readonly url?: string;
  readonly api?: 'native' | 'v2' | 'auto';
  readonly apiKey?: string;
  readonly json: boolean;
  readonly plain: boolean;
  readonly logLevel: LogLevel;
  /** `--connect-timeout`, seconds. */
  readonly connectTimeout: number;
}

/** Default of `--connect-timeout`, seconds: a server that accepts and never answers is given up on after this. */
export const CONNECT_TIMEOUT_S = 10;

/** Builds the context of a command from its options (global ones included). */
export type ContextFactory = (options: GlobalOptions) => CliContext;

/** The commands, in the order `--help` lists them; each registers its own options and help. */
const COMMANDS: readonly RegisterCommand[] = [
  registerRun,
  registerConvert,
  registerGenerate,
  registerUpload,
  registerHealth,
  registerValidate,
  registerFake,
  registerCodegen,
  registerWorker,
  registerEnqueue,
  registerJobs,
  registerDemo,
];

/**
 * The `comfyui-rx` command line (commander): the global options and the {@link COMMANDS}. Commands
 * load their modules when they run, so `--help` and usage errors start fast. Each action resolves
 * to its exit code through `setExitCode`; errors propagate to the caller (see `runCli`).
 */
export function buildProgram(makeContext: ContextFactory, setExitCode: (code: ExitCode) => void, version: string): Command {
  const program = new Command('comfyui-rx')
    .description('Drive ComfyUI servers from the command line: run workflows, generate batches from text, with progress.')
    .version(version, '-V, --version')
    .option('--url <url>', 'ComfyUI server URL (default: $COMFYUI_URL, else http://127.0.0.1:8188)')
    .addOption(new Option('--api <api>', 'the API the server speaks: native ComfyUI, the Comfy API v2 (Comfy Cloud, serverless, comfy-api-proxy), or auto (default: $COMFY_API, else native)').choices(['native', 'v2', 'auto']))
    .option('--api-key <key>', 'API key: Comfy API v2 credentials and partner nodes (default: $COMFY_API_KEY; prefer the variable, command lines are visible to other users)')
    .option('--json', 'machine output: JSON lines on stdout (logs stay on stderr)', false)
    .option('--plain', 'plain progress lines even on a terminal (no bars)', false)
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('info'))
    .option('--connect-timeout <seconds>', 'give up on a server that does not answer its first request within this long (connect and first byte; exit 3)', optionValues.seconds, CONNECT_TIMEOUT_S)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);

  const withContext: WithContext =
    (action) =>
    async (...args) => {
      const command = args[args.length - 1] as Command;
      setExitCode(await action(makeContext(command.optsWithGlobals<GlobalOptions>()), ...args));
    };

  for (const register of COMMANDS) register(program, withContext);
  return program;
}
