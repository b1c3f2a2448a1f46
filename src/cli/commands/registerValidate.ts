import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';
import { optionValues as v } from '../optionValues';

/** `comfyui-rx validate <workflow.json>`: see {@link validateCommand} in `./validateCommand`. */
export const registerValidate: RegisterCommand = (program, withContext) => {
  program
    .command('validate')
    .description('check a workflow offline as ComfyUI would (nothing is queued): its own error answer, exit 4 when invalid')
    .argument('<workflow.json>', "the workflow file (API format, or the editor's UI format: converted first)")
    .option('--object-info <file>', 'a saved GET /object_info answer to check against (default: ask the server at --url)')
    .option('--server-version <version>', 'answer as this ComfyUI version (0.8.0, 0.38.1; default: what the server says, else 0.8.0)', v.serverVersion)
    .addHelpText('after', `\nExamples:\n  comfyui-rx validate my-workflow.json --url http://127.0.0.1:8188\n  comfyui-rx validate my-workflow.json --object-info object_info.json --server-version 0.38.1 --json\n${EXIT_CODES_HELP}`)
    .action(withContext((ctx, file: string, options: { objectInfo?: string; serverVersion?: string }) => import('./validateCommand').then(({ validateCommand }) => validateCommand(ctx, file, options))));
};
