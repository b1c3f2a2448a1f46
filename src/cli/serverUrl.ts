import { displayUrl } from '../util/displayUrl';
import { CliUsageError } from './CliUsageError';

/** The server `comfyui-rx` talks to when neither `--url` nor `COMFYUI_URL` says otherwise. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8188';

/** Where the URL came from, for messages. */
export type UrlSource = 'flag' | 'env' | 'default';

/**
 * The server URL: `--url`, else `COMFYUI_URL`, else {@link DEFAULT_SERVER_URL}. Credentials
 * (`http://user:pass@host`) are kept for the client and never printed.
 * @throws CliUsageError when the URL is not http(s).
 */
export function serverUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { url: string; source: UrlSource } {
  const fromEnv = env.COMFYUI_URL?.trim() || undefined;
  const [url, source]: [string, UrlSource] = flag !== undefined ? [flag, 'flag'] : fromEnv ? [fromEnv, 'env'] : [DEFAULT_SERVER_URL, 'default'];
  const what = source === 'env' ? 'COMFYUI_URL' : '--url';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(`${what} ${displayUrl(url)} is not a URL; expected e.g. http://127.0.0.1:8188`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliUsageError(`${what} ${displayUrl(url)} must start with http:// or https://`);
  }
  return { url, source };
}
