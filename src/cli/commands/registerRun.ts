import { EXIT_CODES_HELP } from '../exitCodes';
import { optionValues as v } from '../optionValues';
import type { SetAssignment } from '../setAssignment';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx run <workflow>`: see {@link runCommand} in `./runCommand`. */
export const registerRun: RegisterCommand = (program, withContext) => {
  program
    .command('run')
    .description('run a workflow and save its outputs: a .json in either format (Workflow > Save, or Export (API)), or a file ComfyUI wrote (PNG, WebP, MP4, WebM, FLAC, MP3, Opus) with its workflow embedded')
    .argument('<workflow>', 'the workflow file (.json, or an output file carrying its workflow)')
    .option('--set <path=value>', v.SET_HELP, v.collectSet)
    .option('--count <n>', 'run it N times (seed inputs get +1 per run, so the images differ)', v.positiveInt, 1)
    .option('--out <dir>', 'folder for the outputs', 'output')
    .option('--include-temp', "also save temp files (PreviewImage); without it they are reported as not saved", false)
    .option('--timeout <seconds>', 'give up on a prompt after this long (it is cancelled on the server)', v.seconds)
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx run examples/workflows/text2image.json --set 6.inputs.text="a lighthouse at dusk" --count 2\n  comfyui-rx run my-workflow.json --set "Positive Prompt.inputs.text=a fox"\n  comfyui-rx run output/ComfyUI_00001_.png --count 4   (the picture again, then 3 with new seeds)\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext((ctx, file: string, options: { set?: SetAssignment[]; count: number; out: string; timeout?: number; includeTemp: boolean }) =>
        import('./runCommand').then(({ runCommand }) => runCommand(ctx, file, { set: options.set ?? [], count: options.count, out: options.out, includeTemp: options.includeTemp, timeoutMs: v.msOf(options.timeout) })),
      ),
    );
};
