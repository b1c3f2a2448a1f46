import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx jobs --redis <url> --queue <name>`: see {@link jobsCommand} in `./jobsCommand`. */
export const registerJobs: RegisterCommand = (program, withContext) => {
  program
    .command('jobs')
    .description("counts of a Redis queue's jobs by state, and its last failures with their reasons")
    .requiredOption('--redis <url>', 'Redis URL (credentials are never printed)')
    .requiredOption('--queue <name>', 'queue name')
    .addHelpText('after', `\nExamples:\n  comfyui-rx jobs --redis redis://127.0.0.1:6379 --queue comfy --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx, options: { redis: string; queue: string }) => import('./jobsCommand').then(({ jobsCommand }) => jobsCommand(ctx, options))));
};
