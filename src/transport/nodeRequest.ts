import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The part of a fetch `Response` a JSON call reads (a `Response` is one). */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Keep-alive connection pools for {@link nodeRequest}, one pair per client (idle sockets do not hold the process open). */
export interface NodeAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/** Fresh keep-alive pools. */
export function nodeAgents(): NodeAgents {
  return { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
}

/**
 * One small JSON request over node:http(s) with a keep-alive pool, its whole body read before the
 * answer resolves: the same answer as `fetch` (status, headers, `text()`), for about half its CPU
 * (the client comparison measured 180 µs against 310 µs a call for `fetch` + `json()` on loopback).
 * Rejects with the socket's error (`ECONNREFUSED`, `ECONNRESET`...) like fetch's cause.
 * @example const answer = await nodeRequest('http://127.0.0.1:8188/queue', 'GET', {}, undefined, agents);
 */
export function nodeRequest(url: string, method: 'GET' | 'POST' | 'HEAD', headers: Readonly<Record<string, string>>, body: string | undefined, agents: NodeAgents): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const secure = url.startsWith('https:');
    const sent: Record<string, string | number> = { ...headers };
    if (body !== undefined) sent['Content-Length'] = Buffer.byteLength(body);
    const options = { method, headers: sent, agent: secure ? agents.https : agents.http };
    const request = (secure ? httpsRequest : httpRequest)(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve(new BufferedAnswer(response.statusCode ?? 0, response.headers, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

class BufferedAnswer implements HttpAnswer {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    received: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = {
      get: (name) => {
        const value = received[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  text(): Promise<string> {
    const text = this.body.toString('utf8');
    return Promise.resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); // as fetch's UTF-8 decoding
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.body;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
  }
}
