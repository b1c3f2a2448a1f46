/** The strategies `generate --strategy` accepts. */
export const STRATEGIES = ['text2image', 'text2video', 'image2image', 'image2video'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Local file names of `generate`: description number and slug, image number, seed (extension added). */
export const CLI_FILE_PATTERN = '{d}-{slug}-{i}-{seed}';

/** Local file names of `generate --inputs`: input number and name, then as {@link CLI_FILE_PATTERN}. */
export const CLI_INPUT_FILE_PATTERN = '{j}-{input}-{d}-{i}-{seed}';
