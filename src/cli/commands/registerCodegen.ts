import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx codegen --out <file.ts>`: see {@link codegenCommand} in `./codegenCommand`. */
export const registerCodegen: RegisterCommand = (program, withContext) => {
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
        import('./codegenCommand').then(({ codegenCommand }) => codegenCommand(ctx, options)),
      ),
    );
};
