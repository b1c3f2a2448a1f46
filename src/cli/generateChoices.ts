/** The strategies `generate --strategy` accepts. */
export const STRATEGIES = ['text2image', 'text2video'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** Local file names of `generate`: description number and slug, image number, seed (extension added). */
export const CLI_FILE_PATTERN = '{d}-{slug}-{i}-{seed}';
