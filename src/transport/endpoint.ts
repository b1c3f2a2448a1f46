import { ComfyOptionsError } from '../errors';

/** Where a ComfyUI server lives: builds its HTTP and WebSocket URLs under an optional path prefix. */
export interface ComfyEndpoint {
  /** `http(s)://host:port/prefix/` without credentials. */
  readonly base: URL;
  /** `Authorization: Basic` made from credentials found in the URL (fetch refuses them in URLs). */
  readonly authHeaders: Readonly<Record<string, string>>;
  /** The URL of an HTTP route, as a string (cheaper than a URL object on the hot path). */
  http(path: string, query?: Readonly<Record<string, string | number | undefined>>): string;
  ws(clientId: string): URL;
}

/** Parses and normalises a server URL (`http`, `https`, or `ws`/`wss` given for the same server). */
export function comfyEndpoint(url: string | URL): ComfyEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new ComfyOptionsError(`Invalid ComfyUI URL: ${JSON.stringify(String(url).replace(/\/\/[^@/]*@/, '//'))} (expected http://host:port)`);
  }
  const protocol = { 'http:': 'http:', 'https:': 'https:', 'ws:': 'http:', 'wss:': 'https:' }[parsed.protocol];
  if (!protocol) throw new ComfyOptionsError(`Unsupported protocol ${parsed.protocol} in ComfyUI URL (use http: or https:)`);
  const authHeaders: Record<string, string> = {};
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const pass = decodeURIComponent(parsed.password);
    authHeaders.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  const base = new URL(parsed.toString());
  base.protocol = protocol;
  base.username = '';
  base.password = '';
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return {
    base,
    authHeaders,
    http(path, query) {
      const target = base.href + path.replace(/^\/+/, '');
      if (!query) return target;
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const search = params.toString();
      return search ? `${target}?${search}` : target;
    },
    ws(clientId) {
      const target = new URL('ws', base);
      target.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
      target.searchParams.set('clientId', clientId);
      return target;
    },
  };
}
