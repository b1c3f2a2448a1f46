import { Option } from 'commander';
import { EXIT_CODES_HELP } from '../exitCodes';
import { CLI_FILE_PATTERN, STRATEGIES, type StrategyName } from '../generateChoices';
import { optionValues as v } from '../optionValues';
import type { SetAssignment } from '../setAssignment';
import type { RegisterCommand } from './RegisterCommand';

/** `comfyui-rx generate --descriptions <file>`: see {@link generateCommand} in `./generateCommand`. */
export const registerGenerate: RegisterCommand = (program, withContext) => {
  program
    .command('generate')
    .description('generate images (or videos) from text descriptions, one prompt per description (or --per N)')
    .addOption(new Option('--strategy <name>', 'how descriptions fill the workflow').choices(STRATEGIES).default('text2image'))
    .requiredOption('--descriptions <file>', 'descriptions, one per line (# comments); - reads stdin')
    .option('--per <n>', 'images (or videos) per description', v.positiveInt, 1)
    .option('--workflow <file>', 'template workflow (default: examples/workflows/<strategy>.json shipped with comfyui-rx)')
    .option('--out <dir>', 'folder for the outputs', 'output')
    .option('--set <path=value>', v.SET_HELP, v.collectSet)
    .option('--seed <n>', 'seed of the first item, +1 per item (default: random seeds)', v.nonNegativeInt)
    .option('--pattern <pattern>', 'local file names; tokens {n} {d} {i} {k} {seed} {name} {ext} {node} {slug}', CLI_FILE_PATTERN)
    .option('--text-path <path>', 'where the description goes, when the strategy cannot find it (e.g. 6.inputs.text)')
    .option('--seed-path <path>', 'where the seed goes, when the strategy cannot find it (e.g. 3.inputs.seed)')
    .option('--include-temp', "also save temp files (PreviewImage); without it they are reported as not saved", false)
    .option('--timeout <seconds>', 'give up on a prompt after this long (it is cancelled on the server)', v.seconds)
    .addHelpText(
      'after',
      `\nExamples:\n  comfyui-rx generate --descriptions prompts.txt --per 2 --out out\n  echo "a red fox" | comfyui-rx generate --strategy text2video --descriptions -\n${EXIT_CODES_HELP}`,
    )
    .action(
      withContext(
        (
          ctx,
          options: {
            strategy: StrategyName;
            descriptions: string;
            per: number;
            workflow?: string;
            out: string;
            set?: SetAssignment[];
            seed?: number;
            pattern: string;
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
