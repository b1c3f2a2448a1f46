import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Credentials for {@link basicAuthPasses}. */
export interface BasicAuthCredentials {
  readonly user: string;
  readonly pass: string;
}

/** Whether `Authorization: Basic ...` carries these credentials (constant-time comparison). */
export function basicAuthPasses(headers: IncomingHttpHeaders, credentials: BasicAuthCredentials): boolean {
  const header = headers.authorization;
  if (typeof header !== 'string' || !/^basic /i.test(header)) return false;
  const given = Buffer.from(header.slice(6).trim(), 'base64');
  const expected = Buffer.from(`${credentials.user}:${credentials.pass}`, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]']);

function isLoopback(hostname: string | undefined): boolean {
  if (!hostname) return false;
  return LOOPBACK_NAMES.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function splitHost(value: string): { hostname: string; port?: string } | undefined {
  try {
    const url = new URL(`http://${value}`);
    return { hostname: url.hostname, port: url.port || undefined };
  } catch {
    return undefined;
  }
}

/**
 * ComfyUI's origin-only middleware: when both `Host` and `Origin` are present and the host is a
 * loopback name, they must match (ports compared only when both have one; `localhost` is not
 * `127.0.0.1`). Returns false for a request the server answers with 403.
 */
export function originAllowed(headers: IncomingHttpHeaders): boolean {
  const host = headers.host;
  const origin = headers.origin;
  if (typeof host !== 'string' || typeof origin !== 'string') return true;
  const hostParts = splitHost(host.toLowerCase());
  let originUrl: URL;
  try {
    originUrl = new URL(origin.toLowerCase());
  } catch {
    return true;
  }
  if (!hostParts || !isLoopback(hostParts.hostname)) return true;
  const hostDomain = originUrl.port ? host.toLowerCase() : hostParts.hostname;
  const originDomain = hostParts.port ? originUrl.host : originUrl.hostname;
  if (!hostDomain || !originDomain) return true;
  return hostDomain === originDomain;
}
