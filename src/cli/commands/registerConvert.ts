import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx convert <workflow>`: see {@link convertCommand} in `./convertCommand`. */
export const registerConvert: RegisterCommand = (program, withContext) => {
  program
    .command('convert')
    .description('print the API prompt of a UI workflow (Workflow > Save format, or an output file carrying it); warnings go to stderr')
    .argument('<workflow>', 'the workflow file (.json, or an output file carrying its workflow)')
    .option('--object-info <file>', 'convert with this saved GET /object_info answer instead of asking the server (--url)')
    .addHelpText('after', `\nExamples:\n  comfyui-rx convert my-workflow.json --url http://127.0.0.1:8188 > api.json\n  comfyui-rx convert render.png --object-info object_info.json\n${EXIT_CODES_HELP}`)
    .action(
      withContext((ctx, file: string, options: { objectInfo?: string }) =>
        import('./convertCommand').then(({ convertCommand }) => convertCommand(ctx, file, { objectInfoFile: options.objectInfo })),
      ),
    );
};
