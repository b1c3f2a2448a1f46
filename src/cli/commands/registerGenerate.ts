import { Option } from 'commander';
import { EXIT_CODES_HELP } from '../exitCodes';
import { CLI_FILE_PATTERN, CLI_INPUT_FILE_PATTERN, STRATEGIES, type StrategyName } from '../generateChoices';
import { optionValues as v } from '../optionValues';
import type { SetAssignment } from '../setAssignment';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx generate --descriptions <file>`: see {@link generateCommand} in `./generateCommand`. */
export const registerGenerate: RegisterCommand = (program, withContext) => {
  program
    .command('generate')
    .description('generate images (or videos) from text descriptions, one prompt per description (or --per N); with an image strategy, over input files (--inputs)')
    .addOption(new Option('--strategy <name>', 'how descriptions (and input files) fill the workflow').choices(STRATEGIES).default('text2image'))
    .option('--descriptions <file>', 'descriptions, one per line (# comments); - reads stdin (optional with --inputs: the template text is kept)')
    .option('--inputs <path...>', 'input files of image2image / image2video: folders (their pictures, videos, sounds, by name), files or http(s) URLs; one item per input (times the descriptions)')
    .option('--per <n>', 'images (or videos) per description (per input without descriptions)', v.positiveInt, 1)
    .option('--workflow <file>', 'template workflow (default: examples/workflows/<strategy>.json shipped with comfyui-rx)')
    .option('--out <dir>', 'folder for the outputs', 'output')
    .option('--set <path=value>', v.SET_HELP, v.collectSet)
    .option('--seed <n>', 'seed of the first item, +1 per item (default: random seeds)', v.nonNegativeInt)
    .option('--pattern <pattern>', `local file names; tokens {n} {d} {i} {k} {seed} {name} {ext} {node} {slug} {j} {input} (default ${CLI_FILE_PATTERN}; with --inputs ${CLI_INPUT_FILE_PATTERN})`)
    .option('--text-path <path>', 'where the description goes, when the strategy cannot find it (e.g. 6.inputs.text)')
    .option('--seed-path <path>', 'where the seed goes, when the strategy cannot find it (e.g. 3.inputs.seed)')
    .option('--image-path <path>', 'where each input goes, when the strategy cannot tell the Load node (e.g. 10.inputs.image)')
    .option('--include-temp', "also save temp files (PreviewImage); without it they are reported as not saved", false)
    .option('--timeout <seconds>', 'give up on a prompt after this long (it is cancelled on the server)', v.seconds)
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx generate --descriptions prompts.txt --per 2 --out out\n  echo "a red fox" | comfyui-rx generate --strategy text2video --descriptions -\n  comfyui-rx generate --strategy image2video --inputs stills/ --descriptions motions.txt\n  comfyui-rx generate --strategy image2image --inputs a.png b.png --set 3.inputs.denoise=0.6\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext(
        (
          ctx,
          options: {
            strategy: StrategyName;
            descriptions?: string;
            inputs?: string[];
            imagePath?: string;
            per: number;
            workflow?: string;
            out: string;
            set?: SetAssignment[];
            seed?: number;
            pattern?: string;
            textPath?: string;
            seedPath?: string;
            timeout?: number;
            includeTemp: boolean;
          },
        ) =>
          import('./generateCommand').then(({ generateCommand }) => generateCommand(ctx, { ...options, set: options.set ?? [], timeoutMs: v.msOf(options.timeout) })),
      ),
    );
};
