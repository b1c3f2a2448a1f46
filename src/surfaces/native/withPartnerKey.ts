import type { RunOptions } from '../../prompt/runOptions';

/**
 * Run options for the native server with the partner-node key in `extra_data.api_key_comfy_org`
 * (the run's `apiKey`, else the client's). ComfyUI keeps that key out of the history it stores.
 * @example runPrompt(deps, prompt, withPartnerKey(options, clientKey))
 */
export function withPartnerKey(options: RunOptions, clientKey: string | undefined): RunOptions {
  const { apiKey, ...rest } = options;
  const key = apiKey ?? clientKey;
  if (!key) return rest;
  return { ...rest, extraData: { ...rest.extraData, api_key_comfy_org: key } };
}
