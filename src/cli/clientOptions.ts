import type { ComfyClientOptions } from '../client';
import type { CliContext } from './CliContext';

/**
 * The options every client a command makes shares: its logger, and the server's API and key
 * (`--api`, `--api-key`, `COMFY_API`, `COMFY_API_KEY`). The key is never logged.
 * @example new ComfyClient({ url, ...clientOptions(ctx), lingerMs: 0 })
 */
export function clientOptions(ctx: CliContext): Pick<ComfyClientOptions, 'logger' | 'api' | 'apiKey'> {
  return { logger: ctx.logger, api: ctx.api, ...(ctx.apiKey ? { apiKey: ctx.apiKey } : {}) };
}
