import { ComfyOptionsError } from '../../errors';
import { displayUrl } from '../../util/displayUrl';

/**
 * Checks a webhook URL: absolute http(s), without user or password (a job's data is readable by
 * anyone with access to Redis; put tokens in the receiver's verification, the signing secret).
 * @throws ComfyOptionsError naming what is wrong (the URL printed without credentials or query).
 * @example checkWebhookUrl('https://example.com/hooks/comfy'); // returns it
 */
export function checkWebhookUrl(url: string, what = 'webhook URL'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ComfyOptionsError(`Invalid ${what} '${displayUrl(url)}': not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ComfyOptionsError(`Invalid ${what} '${displayUrl(url)}': expected http:// or https://`);
  if (parsed.username || parsed.password) throw new ComfyOptionsError(`Invalid ${what} '${displayUrl(url)}': credentials do not belong in a webhook URL (receivers verify the signature)`);
  return parsed.toString();
}
