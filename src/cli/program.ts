import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext } from './CliContext';
import { LOG_LEVELS, type LogLevel } from './createCliLogger';
import { EXIT_CODES_HELP, type ExitCode } from './exitCodes';
import { type SetAssignment, parseSetAssignment } from './setAssignment';
import { CLI_FILE_PATTERN, STRATEGIES, type StrategyName } from './generateChoices';

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  readonly url?: string;
  readonly json: boolean;
  readonly plain: boolean;
  readonly logLevel: LogLevel;
}

/** Builds the context of a command from its options (global ones included). */
export type ContextFactory = (options: GlobalOptions) => CliContext;

/** The flags of `comfyui-rx worker` as commander parses them. */
interface WorkerFlags {
  redis: string;
  queue: string;
  concurrency?: number;
  out?: string;
  lockDuration?: number;
  lockRenew?: number;
  stalledInterval?: number;
  drainTimeout?: number;
  webhookSecret?: string;
  webhook?: string;
  webhookAttempts?: number;
  webhookBackoff?: number;
  webhookTimeout?: number;
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1.');
  return n;
};
const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0.');
  return n;
};
const port = (value: string): number => {
  const n = nonNegativeInt(value);
  if (n > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
};
const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0.');
  return n;
};
const collectSet = (value: string, previous: SetAssignment[] | undefined): SetAssignment[] => [...(previous ?? []), parseSetAssignment(value)];

const SET_HELP = 'set an input before running, e.g. 6.inputs.text="a red fox", 3.inputs.steps=30 or "Positive Prompt.inputs.text=a fox" (node by id or title; JSON when it parses, else a string; repeatable)';

/**
 * The `comfyui-rx` command line (commander). Commands load their modules when they run, so
 * `--help` and usage errors start fast. Each action resolves to its exit code through
 * `setExitCode`; errors propagate to the caller (see `runCli`).
 */
export function buildProgram(makeContext: ContextFactory, setExitCode: (code: ExitCode) => void, version: string): Command {
  const program = new Command('comfyui-rx')
    .description('Drive ComfyUI servers from the command line: run workflows, generate batches from text, with progress.')
    .version(version, '-V, --version')
    .option('--url <url>', 'ComfyUI server URL (default: $COMFYUI_URL, else http://127.0.0.1:8188)')
    .option('--json', 'machine output: JSON lines on stdout (logs stay on stderr)', false)
    .option('--plain', 'plain progress lines even on a terminal (no bars)', false)
    .addOption(new Option('--log-level <level>', 'log level (logs go to stderr)').choices(LOG_LEVELS).default('info'))
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);

  const withContext =
    <A extends unknown[]>(action: (ctx: CliContext, ...args: A) => Promise<ExitCode>) =>
    async (...args: A): Promise<void> => {
      const command = args[args.length - 1] as Command;
      setExitCode(await action(makeContext(command.optsWithGlobals<GlobalOptions>()), ...args));
    };

  program
    .command('run')
    .description('run a workflow and save its outputs: a .json in either format (Workflow > Save, or Export (API)), or a file ComfyUI wrote (PNG, WebP, MP4, WebM, FLAC, MP3, Opus) with its workflow embedded')
    .argument('<workflow>', 'the workflow file (.json, or an output file carrying its workflow)')
    .option('--set <path=value>', SET_HELP, collectSet)
    .option('--count <n>', 'run it N times (seed inputs get +1 per run, so the images differ)', positiveInt, 1)
    .option('--out <dir>', 'folder for the outputs', 'output')
    .option('--timeout <seconds>', 'give up on a prompt after this long (it is cancelled on the server)', seconds)
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx run examples/workflows/text2image.json --set 6.inputs.text="a lighthouse at dusk" --count 2\n  comfyui-rx run my-workflow.json --set "Positive Prompt.inputs.text=a fox"\n  comfyui-rx run output/ComfyUI_00001_.png --count 4   (the picture's workflow, new seeds)\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext((ctx, file: string, options: { set?: SetAssignment[]; count: number; out: string; timeout?: number }) =>
        import('./commands/runCommand').then(({ runCommand }) => runCommand(ctx, file, { set: options.set ?? [], count: options.count, out: options.out, timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000 })),
      ),
    );

  program
    .command('convert')
    .description('print the API prompt of a UI workflow (Workflow > Save format, or an output file carrying it); warnings go to stderr')
    .argument('<workflow>', 'the workflow file (.json, or an output file carrying its workflow)')
    .option('--object-info <file>', 'convert with this saved GET /object_info answer instead of asking the server (--url)')
    .addHelpText('after', `\nExamples:\n  comfyui-rx convert my-workflow.json --url http://127.0.0.1:8188 > api.json\n  comfyui-rx convert render.png --object-info object_info.json\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, file: string, options: { objectInfo?: string }) =>
        import('./commands/convertCommand').then(({ convertCommand }) => convertCommand(ctx, file, { objectInfoFile: options.objectInfo })),
      ),
    );

  program
    .command('generate')
    .description('generate images (or videos) from text descriptions, one prompt per description (or --per N)')
    .addOption(new Option('--strategy <name>', 'how descriptions fill the workflow').choices(STRATEGIES).default('text2image'))
    .requiredOption('--descriptions <file>', 'descriptions, one per line (# comments); - reads stdin')
    .option('--per <n>', 'images (or videos) per description', positiveInt, 1)
    .option('--workflow <file>', 'template workflow (default: examples/workflows/<strategy>.json shipped with comfyui-rx)')
    .option('--out <dir>', 'folder for the outputs', 'output')
    .option('--set <path=value>', SET_HELP, collectSet)
    .option('--seed <n>', 'seed of the first item, +1 per item (default: random seeds)', nonNegativeInt)
    .option('--pattern <pattern>', 'local file names; tokens {n} {d} {i} {k} {seed} {name} {ext} {node} {slug}', CLI_FILE_PATTERN)
    .option('--text-path <path>', 'where the description goes, when the strategy cannot find it (e.g. 6.inputs.text)')
    .option('--seed-path <path>', 'where the seed goes, when the strategy cannot find it (e.g. 3.inputs.seed)')
    .option('--timeout <seconds>', 'give up on a prompt after this long (it is cancelled on the server)', seconds)
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx generate --descriptions prompts.txt --per 2 --out out\n  echo "a red fox" | comfyui-rx generate --strategy text2video --descriptions -\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext(
        (
          ctx,
          options: {
            strategy: StrategyName;
            descriptions: string;
            per: number;
            workflow?: string;
            out: string;
            set?: SetAssignment[];
            seed?: number;
            pattern: string;
            textPath?: string;
            seedPath?: string;
            timeout?: number;
          },
        ) =>
          import('./commands/generateCommand').then(({ generateCommand }) =>
            generateCommand(ctx, { ...options, set: options.set ?? [], timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000 }),
          ),
      ),
    );

  program
    .command('health')
    .description('check the server: versions, devices, queue (exit 0 when it answers, 3 when not)')
    .addHelpText('after', `\nExamples:\n  comfyui-rx health --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx) => import('./commands/healthCommand').then(({ healthCommand }) => healthCommand(ctx))));

  program
    .command('validate')
    .description('check a workflow offline as ComfyUI would (nothing is queued): its own error answer, exit 4 when invalid')
    .argument('<workflow.json>', 'the workflow file (API format, or the editor\'s UI format: converted first)')
    .option('--object-info <file>', 'a saved GET /object_info answer to check against (default: ask the server at --url)')
    .addHelpText('after', `\nExamples:\n  comfyui-rx validate my-workflow.json --url http://127.0.0.1:8188\n  comfyui-rx validate my-workflow.json --object-info object_info.json --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx, file: string, options: { objectInfo?: string }) => import('./commands/validateCommand').then(({ validateCommand }) => validateCommand(ctx, file, options))));

  program
    .command('fake')
    .description('start the embedded FakeComfyServer (placeholder images, no GPU) and run until Ctrl-C')
    .option('--port <port>', 'port to listen on (0: a free one)', port, 8188)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--step-latency <ms>', 'time per sampler step', nonNegativeInt, 40)
    .option('--node-latency <ms>', 'time per node', nonNegativeInt, 0)
    .option('--no-cache', 'run every node every time (default: unchanged nodes come from the cache, like ComfyUI)')
    .option('--previews', 'samplers send a JPEG preview per step (as with --preview-method auto)', false)
    .addHelpText('after', `\nExamples:\n  comfyui-rx fake --port 8189 &\n  COMFYUI_URL=http://127.0.0.1:8189 comfyui-rx generate --descriptions examples/descriptions.txt\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, options: { port: number; host: string; stepLatency: number; nodeLatency: number; cache: boolean; previews: boolean }) =>
        import('./commands/fakeCommand').then(({ fakeCommand }) =>
          fakeCommand(ctx, { port: options.port, host: options.host, stepLatencyMs: options.stepLatency, nodeLatencyMs: options.nodeLatency, cache: options.cache, previews: options.previews }),
        ),
      ),
    );

  program
    .command('codegen')
    .description("write a TypeScript module of a server's node types (--url, or --object-info FILE): typed inputs, outputs and a builder")
    .option('--object-info <file>', 'a saved GET /object_info answer instead of asking the server')
    .requiredOption('--out <file.ts>', 'the module to write')
    .option('--server-version <version>', "version in the header (default: the server's /system_stats)")
    .option('--import-from <module>', 'where the module imports the builder from', 'comfyui-rx')
    .addHelpText('after', `\nExamples:\n  comfyui-rx codegen --url http://127.0.0.1:8188 --out src/comfy-nodes.ts\n  comfyui-rx codegen --object-info object_info.json --out comfy-nodes.ts\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, options: { objectInfo?: string; out: string; serverVersion?: string; importFrom: string }) =>
        import('./commands/codegenCommand').then(({ codegenCommand }) => codegenCommand(ctx, options)),
      ),
    );

  program
    .command('worker')
    .description('run the jobs of a Redis queue on ComfyUI servers (--url A or --url A,B,... for a pool) until SIGTERM or Ctrl-C')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379 (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .option('--concurrency <n>', 'jobs at once (default: the pool capacity, 1 for one server)', positiveInt)
    .option('--out <dir>', 'save outputs under this (shared) folder, one sub-folder per job; without it, results list /view URLs')
    .option('--lock-duration <ms>', 'lock of an active job (default 5000): a dead worker\'s jobs are taken over within this + --stalled-interval', positiveInt)
    .option('--lock-renew <ms>', 'how often the lock is renewed (default 1000); an event loop blocked less than lock-duration - lock-renew keeps its jobs', positiveInt)
    .option('--stalled-interval <ms>', 'how often workers look for jobs whose lock expired (default 2000)', positiveInt)
    .option('--drain-timeout <ms>', 'on SIGTERM / Ctrl-C, how long active jobs may finish before they are left to be reattached', nonNegativeInt)
    .option('--webhook-secret <whsec>', 'sign webhooks with this Standard Webhooks secret (whsec_...); prefer COMFYUI_RX_WEBHOOK_SECRET, which no process list shows')
    .option('--webhook <url>', 'webhook of jobs added without one (needs a secret)')
    .option('--webhook-attempts <n>', 'attempts of one webhook delivery (default 10)', positiveInt)
    .option('--webhook-backoff <ms>', 'first retry of a webhook after this, doubling each time (default 7000: 10 attempts span an hour)', nonNegativeInt)
    .option('--webhook-timeout <ms>', 'a receiver that has not answered after this is a failed attempt (default 10000)', positiveInt)
    .addHelpText('after', `\nExamples:\n  comfyui-rx worker --redis redis://127.0.0.1:6379 --queue comfy --url http://gpu1:8188,http://gpu2:8188 --out out\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, options: WorkerFlags) =>
        import('./commands/workerCommand').then(({ workerCommand }) =>
          workerCommand(ctx, {
            redis: options.redis,
            queue: options.queue,
            concurrency: options.concurrency,
            out: options.out,
            lockDurationMs: options.lockDuration,
            lockRenewMs: options.lockRenew,
            stalledIntervalMs: options.stalledInterval,
            drainTimeoutMs: options.drainTimeout,
            webhookSecret: options.webhookSecret,
            webhook: options.webhook,
            webhookAttempts: options.webhookAttempts,
            webhookBackoffMs: options.webhookBackoff,
            webhookTimeoutMs: options.webhookTimeout,
          }),
        ),
      ),
    );

  program
    .command('enqueue')
    .description('add workflows as jobs to a Redis queue (run by `comfyui-rx worker` processes); --wait follows them')
    .argument('<workflow...>', 'workflow files in either format, or files ComfyUI wrote with their workflow embedded (PNG, WebP, MP4, ...)')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379 (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .option('--count <n>', 'add each workflow N times', positiveInt, 1)
    .option('--wait', 'follow the jobs until they end; exit with the codes of `run`', false)
    .option('--webhook <url>', 'POST the jobs\' terminal states there, signed by the worker (Standard Webhooks)')
    .option('--webhook-progress', 'also send progress milestones (25, 50, 75 %) to --webhook', false)
    .addHelpText('after', `\nExamples:\n  comfyui-rx enqueue examples/workflows/text2image.json --redis redis://127.0.0.1:6379 --queue comfy --count 4 --wait\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, files: string[], options: { redis: string; queue: string; count: number; wait: boolean; webhook?: string; webhookProgress: boolean }) =>
        import('./commands/enqueueCommand').then(({ enqueueCommand }) => enqueueCommand(ctx, files, options)),
      ),
    );

  program
    .command('jobs')
    .description('counts of a Redis queue\'s jobs by state, and its last failures with their reasons')
    .requiredOption('--redis <url>', 'Redis URL (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .addHelpText('after', `\nExamples:\n  comfyui-rx jobs --redis redis://127.0.0.1:6379 --queue comfy --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx, options: { redis: string; queue: string }) => import('./commands/jobsCommand').then(({ jobsCommand }) => jobsCommand(ctx, options))));

  program
    .command('demo')
    .description('text2image batch of the shipped descriptions, on $COMFYUI_URL or else an embedded fake server (npm start)')
    .option('--out <dir>', 'folder for the pictures', 'output')
    .option('--per <n>', 'pictures per description', positiveInt, 1)
    .option('--descriptions <file>', 'descriptions, one per line (default: examples/descriptions.txt shipped with comfyui-rx)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      withContext((ctx, options: { out: string; per: number; descriptions?: string }) => import('./commands/demoCommand').then(({ demoCommand }) => demoCommand(ctx, options))),
    );

  return program;
}
