import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx health`: see {@link healthCommand} in `./healthCommand`. */
export const registerHealth: RegisterCommand = (program, withContext) => {
  program
    .command('health')
    .description('check the server: versions, devices, queue (exit 0 when it answers, 3 when not)')
    .addHelpText('after', `\nExamples:\n  comfyui-rx health --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx) => import('./healthCommand').then(({ healthCommand }) => healthCommand(ctx))));
};
