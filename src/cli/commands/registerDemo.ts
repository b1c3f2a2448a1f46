import { EXIT_CODES_HELP } from '../exitCodes';
import { optionValues as v } from '../optionValues';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx demo`: see {@link demoCommand} in `./demoCommand`. */
export const registerDemo: RegisterCommand = (program, withContext) => {
  program
    .command('demo')
    .description('text2image batch of the shipped descriptions, on $COMFYUI_URL or else an embedded fake server (npm start)')
    .option('--out <dir>', 'folder for the pictures', 'output')
    .option('--per <n>', 'pictures per description', v.positiveInt, 1)
    .option('--descriptions <file>', 'descriptions, one per line (default: examples/descriptions.txt shipped with comfyui-rx)')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(withContext((ctx, options: { out: string; per: number; descriptions?: string }) => import('./demoCommand').then(({ demoCommand }) => demoCommand(ctx, options))));
};
