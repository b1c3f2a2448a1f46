import { Option } from 'commander';
import { EXIT_CODES_HELP } from '../exitCodes';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx upload FILE...`: see {@link uploadCommand} in `./uploadCommand`. */
export const registerUpload: RegisterCommand = (program, withContext) => {
  program
    .command('upload')
    .description("upload input files (paths or http(s) URLs, any media type) to the server's input folder and print the names Load nodes take; masks with --mask")
    .argument('[file...]', 'files or http(s) URLs to upload')
    .option('--mask <mask>', 'a mask (its alpha channel): put onto the one FILE given, or onto --original')
    .option('--original <name>', 'the stored name of the image the --mask applies to (an image already on the server, e.g. photo.png or "x.png [output]")')
    .option('--no-dedupe', "keep the files' names (default: content-addressed, comfyui-rx/<hash>.<ext>, sent once)")
    .option('--subfolder <dir>', 'subfolder of the input folder (default: comfyui-rx with dedupe)')
    .addOption(new Option('--type <type>', 'server folder').choices(['input', 'temp', 'output']))
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx upload photo.png clip.mp4\n  comfyui-rx upload photo.png --mask mask.png\n  comfyui-rx upload --mask mask.png --original photo.png\n  comfyui-rx upload https://example.com/photo.png --no-dedupe\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext((ctx, files: string[], options: { mask?: string; original?: string; dedupe: boolean; subfolder?: string; type?: 'input' | 'temp' | 'output' }) =>
        import('./uploadCommand').then(({ uploadCommand }) => uploadCommand(ctx, files, options)),
      ),
    );
};
