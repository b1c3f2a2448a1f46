import { EXIT_CODES_HELP } from '../exitCodes';
import { optionValues as v } from '../optionValues';
import type { SetAssignment } from '../setAssignment';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx enqueue <workflow...>`: see {@link enqueueCommand} in `./enqueueCommand`. */
export const registerEnqueue: RegisterCommand = (program, withContext) => {
  program
    .command('enqueue')
    .description('add workflows as jobs to a Redis queue (run by `comfyui-rx worker` processes); --wait follows them')
    .argument('<workflow...>', 'workflow files in either format, or files ComfyUI wrote with their workflow embedded (PNG, WebP, MP4, ...)')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379 (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .option('--set <path=value>', `${v.SET_HELP}; @FILE or @URL: an input file the worker uploads (a path the workers can read, or a URL)`, v.collectSet)
    .option('--count <n>', 'add each workflow N times', v.positiveInt, 1)
    .option('--wait', 'follow the jobs until they end; exit with the codes of `run`', false)
    .option('--webhook <url>', "POST the jobs' terminal states there, signed by the worker (Standard Webhooks)")
    .option('--webhook-progress', 'also send progress milestones (25, 50, 75 %) to --webhook', false)
    .addHelpText('after', `\nExamples:\n  comfyui-rx enqueue examples/workflows/text2image.json --redis redis://127.0.0.1:6379 --queue comfy --count 4 --wait\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, files: string[], options: { redis: string; queue: string; count: number; wait: boolean; webhook?: string; webhookProgress: boolean; set?: SetAssignment[] }) =>
        import('./enqueueCommand').then(({ enqueueCommand }) => enqueueCommand(ctx, files, options)),
      ),
    );
};
