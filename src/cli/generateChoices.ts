/** The strategies `generate --strategy` accepts. */
export const STRATEGIES = ['text2image', 'text2video'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
