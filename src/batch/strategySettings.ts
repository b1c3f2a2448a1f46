import { z } from 'zod';
import { ComfyOptionsError } from '../errors';
import { formatIssues } from '../util/formatIssues';
import type { SameShape } from '../util/sameShape';
import type { StrategySettings } from './strategy';

const Size = z.number().int().positive();

/** Validates {@link StrategySettings}: the settings of the built-in strategies, checked when the strategy is made. */
export const StrategySettingsSchema = z
  .object({
    width: Size.optional(),
    height: Size.optional(),
    length: Size.optional(),
    batchSize: Size.optional(),
    steps: Size.optional(),
    filenamePrefix: z.string().min(1).optional(),
  })
  .strict();
true satisfies SameShape<StrategySettings, z.input<typeof StrategySettingsSchema>>;

/**
 * Validates a strategy's settings.
 * @throws ComfyOptionsError naming the bad setting.
 */
export function checkStrategySettings(name: string, settings: unknown): StrategySettings {
  const parsed = StrategySettingsSchema.safeParse(settings);
  if (!parsed.success) throw new ComfyOptionsError(`Invalid ${name} settings: ${formatIssues(parsed.error.issues)}`, parsed.error.issues);
  return parsed.data;
}
