import { spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type ClientRequest, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { firstValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { WebSocketServer } from 'ws';
import { ComfyConnectionError, ComfyHttpError, ComfyOptionsError, ComfyProtocolError, ComfyPromptRejectedError, ComfyRetriesExhaustedError, type ComfyValidationError } from '../errors';
import { ComfyHttp } from './http';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const silent = pino({ level: 'silent' });
const noRetry = { maxAttempts: 0 };
const fastRetry = { initialDelayMs: 1, maxDelayMs: 4, maxAttempts: 3, jitter: 0, budgetMs: 5_000 };

/** A loopback HTTP server whose answers each test sets; records every request. */
async function stubServer(make: (handler: Handler) => Server = (h) => createServer((req, res) => collect(req, res, h))) {
  let handler: Handler = (_req, res) => res.end();
  const requests: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = make((req, res, body) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers, body });
    handler(req, res, body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    server,
    requests,
    answer: (h: Handler) => (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a call that timed out is not aborted: its connection is still open
      }),
  };
}

function collect(req: IncomingMessage, res: ServerResponse, handler: Handler): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => handler(req, res, Buffer.concat(chunks).toString()));
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('ComfyHttp', () => {
  let stub: Awaited<ReturnType<typeof stubServer>>;
  beforeAll(async () => (stub = await stubServer()));
  afterAll(() => stub.close());
  beforeEach(() => (stub.requests.length = 0));

  it('POST /prompt sends the body as JSON and returns the typed answer', async () => {
    stub.answer((_req, res) => json(res, 200, { prompt_id: 'p1', number: 3, node_errors: {} }));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const answer = await firstValueFrom(http.queuePrompt({ prompt: { '1': {} }, client_id: 'c', prompt_id: 'p1' }));
    expect(answer).toEqual({ prompt_id: 'p1', number: 3, node_errors: {} });
    expect(stub.requests[0]).toMatchObject({ method: 'POST', url: '/prompt' });
    expect(stub.requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ prompt: { '1': {} }, client_id: 'c', prompt_id: 'p1' });
  });

  it('keeps a path prefix and sends the extra headers on every call', async () => {
    stub.answer((_req, res) => json(res, 200, { queue_running: [], queue_pending: [] }));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}/comfy`, headers: { Authorization: 'Bearer t0k' }, logger: silent });
    await firstValueFrom(http.queue());
    stub.answer((_req, res) => res.end());
    await firstValueFrom(http.interrupt('p1'));
    expect(stub.requests.map((r) => r.url)).toEqual(['/comfy/queue', '/comfy/interrupt']);
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t0k', 'Bearer t0k']);
    expect(JSON.parse(stub.requests[1]!.body)).toEqual({ prompt_id: 'p1' });
  });

  it('turns user:pass in the URL into a Basic Authorization header, never into the URL it reports', async () => {
    stub.answer((_req, res) => json(res, 500, {}));
    const http = new ComfyHttp({ url: `http://alice:s3cret@127.0.0.1:${stub.port}/`, logger: silent, retry: noRetry });
    const error = await firstValueFrom(http.queue()).catch((e: unknown) => e);
    expect(stub.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(String((error as Error).message)).not.toContain('s3cret');
    expect((error as ComfyHttpError).url).not.toContain('s3cret');
  });

  it('a 400 from /prompt becomes ComfyPromptRejectedError with the node errors and a readable message', async () => {
    const body = {
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: '', extra_info: {} },
      node_errors: {
        '1': {
          errors: [{ type: 'value_smaller_than_min', message: 'Value 0 smaller than min of 1', details: 'width', extra_info: { input_name: 'width' } }],
          dependent_outputs: ['3'],
          class_type: 'EmptyImage',
        },
      },
    };
    stub.answer((_req, res) => json(res, 400, body));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const error = (await firstValueFrom(http.queuePrompt({ prompt: {} })).catch((e: unknown) => e)) as ComfyValidationError;
    expect(error).toBeInstanceOf(ComfyPromptRejectedError);
    expect(error.errorType).toBe('prompt_outputs_failed_validation');
    expect(error.nodeErrors['1']!.class_type).toBe('EmptyImage');
    expect(error.message).toBe('Prompt outputs failed validation: node 1 (EmptyImage): Value 0 smaller than min of 1: width');
  });

  it.each([403, 404, 413, 500])('an HTTP %i becomes ComfyHttpError with status, method, URL and a body excerpt', async (status) => {
    stub.answer((_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(`${status}: nope ${'x'.repeat(1000)}`);
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: noRetry });
    const error = (await firstValueFrom(http.systemStats()).catch((e: unknown) => e)) as ComfyHttpError;
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(error).toMatchObject({ status, method: 'GET', url: `http://127.0.0.1:${stub.port}/system_stats` });
    expect(error.bodyExcerpt.startsWith(`${status}: nope`)).toBe(true);
    expect(error.bodyExcerpt.length).toBe(300);
  });

  it('a 200 whose body is not JSON becomes ComfyProtocolError', async () => {
    stub.answer((_req, res) => res.end('<html>proxy login</html>'));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const error = (await firstValueFrom(http.queue()).catch((e: unknown) => e)) as ComfyProtocolError;
    expect(error).toBeInstanceOf(ComfyProtocolError);
    expect(error.details.excerpt).toBe('<html>proxy login</html>');
  });

  it('a JSON answer of the wrong shape becomes ComfyProtocolError listing the issues', async () => {
    stub.answer((_req, res) => json(res, 200, { queue_running: 'no' }));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const error = (await firstValueFrom(http.queue()).catch((e: unknown) => e)) as ComfyProtocolError;
    expect(error).toBeInstanceOf(ComfyProtocolError);
    expect(error.details.issues?.length).toBeGreaterThan(0);
  });

  it('history: the entry when present, undefined for `{}`', async () => {
    const entry = { prompt: [0, 'p1', {}, {}, ['3']], outputs: { '3': { images: [] } }, status: { status_str: 'success', completed: true, messages: [] } };
    stub.answer((req, res) => json(res, 200, req.url === '/history/p1' ? { p1: entry } : {}));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    expect(await firstValueFrom(http.history('p1'))).toMatchObject({ outputs: { '3': { images: [] } } });
    expect(await firstValueFrom(http.history('p2'))).toBeUndefined();
  });

  it('view streams the body with its content type and length', async () => {
    stub.answer((req, res) => {
      expect(req.url).toBe('/view?filename=a+b.png&subfolder=sub&type=output');
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '4' });
      res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const view = await firstValueFrom(http.view({ filename: 'a b.png', subfolder: 'sub', type: 'output' }));
    const chunks: Buffer[] = [];
    for await (const chunk of view.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(view).toMatchObject({ contentType: 'image/png', contentLength: 4 });
  });

  it('view: a missing file is a ComfyHttpError 404; headers (auth) are sent with the download', async () => {
    stub.answer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404: Not Found');
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}/prefix`, headers: { Authorization: 'Bearer t0k' }, logger: silent });
    const error = (await firstValueFrom(http.view({ filename: 'gone.png', subfolder: '', type: 'output' })).catch((e: unknown) => e)) as ComfyHttpError;
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(error).toMatchObject({ status: 404, method: 'GET', bodyExcerpt: '404: Not Found', url: `http://127.0.0.1:${stub.port}/prefix/view` });
    expect(stub.requests[0]).toMatchObject({ url: '/prefix/view?filename=gone.png&subfolder=&type=output' });
    expect(stub.requests[0]!.headers.authorization).toBe('Bearer t0k');
  });

  it('view: unsubscribing before the headers arrive aborts the download request', async () => {
    let arrived!: () => void;
    const requested = new Promise<void>((resolve) => (arrived = resolve));
    const closed = new Promise<void>((resolve) =>
      stub.answer((req) => {
        req.socket.once('close', () => resolve()); // never answers
        arrived();
      }),
    );
    const requests: ClientRequest[] = [];
    const onRequest = (message: unknown) => requests.push((message as { request: ClientRequest }).request);
    diagnostics.subscribe('http.client.request.start', onRequest);
    // no request timeout to close it for us: only the unsubscription can
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, requestTimeoutMs: 600_000, logger: silent });
    try {
      const subscription = http.view({ filename: 'slow.png', subfolder: '', type: 'output' }).subscribe();
      await requested;
      subscription.unsubscribe();
      expect(requests.map((request) => request.destroyed)).toEqual([true]); // aborted at once
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onRequest);
    }
    await closed; // and the server saw the connection go away
  });

  it('uploadImage posts multipart with the file and returns the stored name', async () => {
    stub.answer((_req, res) => json(res, 200, { name: 'red (1).png', subfolder: 'tests', type: 'input' }));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const answer = await firstValueFrom(http.uploadImage(Buffer.from('PNGDATA'), 'red.png', { subfolder: 'tests', overwrite: true }));
    expect(answer).toEqual({ name: 'red (1).png', subfolder: 'tests', type: 'input' });
    const request = stub.requests[0]!;
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.body).toContain('filename="red.png"');
    expect(request.body).toContain('PNGDATA');
    expect(request.body).toContain('name="overwrite"');
  });

  it('GETs are retried on 503 with Retry-After honoured, then answer', async () => {
    let calls = 0;
    stub.answer((_req, res) => {
      calls++;
      if (calls <= 2) {
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '0' });
        res.end('busy');
        return;
      }
      json(res, 200, { queue_running: [], queue_pending: [] });
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    expect(await firstValueFrom(http.queue())).toEqual({ queue_running: [], queue_pending: [] });
    expect(stub.requests.map((r) => r.url)).toEqual(['/queue', '/queue', '/queue']);
  });

  it.each([429, 500, 502, 503, 504])('a GET answered %i until the budget is spent ends in ComfyRetriesExhaustedError (a ComfyConnectionError)', async (status) => {
    stub.answer((_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end('proxy trouble');
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    const error = (await firstValueFrom(http.history('p1')).catch((e: unknown) => e)) as ComfyRetriesExhaustedError;
    expect(error).toBeInstanceOf(ComfyRetriesExhaustedError);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error).toMatchObject({ code: 'COMFYRX_RETRIES_EXHAUSTED', method: 'GET', retries: 3, stop: 'attempts', details: { attempts: 4, status } });
    expect((error.cause as ComfyHttpError).status).toBe(status);
    expect(stub.requests).toHaveLength(4);
  });

  it.each([400, 401, 403, 404])('a GET answered %i is not retried', async (status) => {
    stub.answer((_req, res) => json(res, status, { error: 'no' }));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    const error = await firstValueFrom(http.systemStats()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(stub.requests).toHaveLength(1);
  });

  it('withRetry({ maxAttempts: 0 }) gives the same calls without retries (a fast probe); the original keeps its policy', async () => {
    stub.answer((_req, res) => {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      res.end('busy');
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    const probe = await firstValueFrom(http.withRetry({ maxAttempts: 0 }).queueInfo()).catch((e: unknown) => e);
    expect(probe).toMatchObject({ code: 'COMFYRX_HTTP', status: 503 }); // the answer itself: nothing was retried
    expect(stub.requests).toHaveLength(1);
    await firstValueFrom(http.queueInfo()).catch((e: unknown) => e);
    expect(stub.requests).toHaveLength(5);
  });

  it('POSTs are never retried: a 503 on /prompt or /interrupt is the ComfyHttpError at once', async () => {
    stub.answer((_req, res) => json(res, 503, {}));
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    expect(await firstValueFrom(http.queuePrompt({ prompt: {} })).catch((e: unknown) => e)).toBeInstanceOf(ComfyHttpError);
    expect(await firstValueFrom(http.interrupt('p')).catch((e: unknown) => e)).toBeInstanceOf(ComfyHttpError);
    expect(stub.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('view: a 502 before the body is retried from the start', async () => {
    let calls = 0;
    stub.answer((_req, res) => {
      if (++calls === 1) {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end('bad gateway');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': '3' });
      res.end(Buffer.from([1, 2, 3]));
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent, retry: fastRetry });
    const view = await firstValueFrom(http.view({ filename: 'a.png', subfolder: '', type: 'output' }));
    const chunks: Buffer[] = [];
    for await (const chunk of view.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));
    expect(stub.requests).toHaveLength(2);
  });

  it('the jobs API: found, unknown (JSON 404) and unsupported (plain 404, then never asked again)', async () => {
    stub.answer((req, res) => {
      if (req.url === '/api/jobs/known') return json(res, 200, { id: 'known', status: 'pending', priority: 3, outputs_count: 0 });
      if (req.url === '/api/jobs/gone') return json(res, 404, { error: 'Job not found' });
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404: Not Found');
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    expect(await firstValueFrom(http.job('known'))).toEqual({ kind: 'found', job: { id: 'known', status: 'pending', priority: 3, outputs_count: 0 } });
    expect(await firstValueFrom(http.job('gone'))).toEqual({ kind: 'unknown' });
    expect(http.hasJobsApi).toBe(true);
    const old = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}/old`, logger: silent });
    expect(await firstValueFrom(old.job('x'))).toEqual({ kind: 'unsupported' });
    expect(await firstValueFrom(old.job('y'))).toEqual({ kind: 'unsupported' });
    expect(old.hasJobsApi).toBe(false);
    expect(stub.requests.map((r) => r.url)).toEqual(['/api/jobs/known', '/api/jobs/gone', '/old/api/jobs/x']);
  });

  it("reads a body in Python's JSON dialect: a foreign prompt holding NaN in /queue", async () => {
    stub.answer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"queue_running": [], "queue_pending": [[7, "theirs", {"1": {"class_type": "K", "inputs": {"cfg": NaN, "x": -Infinity}}}, {}, ["1"]]]}');
    });
    const http = new ComfyHttp({ url: `http://127.0.0.1:${stub.port}`, logger: silent });
    const queue = await firstValueFrom(http.queue());
    expect(queue.queue_pending[0]![1]).toBe('theirs');
    expect(queue.queue_pending[0]![2]).toEqual({ '1': { class_type: 'K', inputs: { cfg: Number.NaN, x: Number.NEGATIVE_INFINITY } } });
  });
});

describe('ComfyHttp in virtual time', () => {
  const url = 'http://comfy.invalid:8188';
  const neverAnswers: typeof fetch = () => new Promise<Response>(() => undefined);
  let ts: TestScheduler;
  beforeEach(() => (ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  it('a call that gets no answer within requestTimeoutMs fails with ComfyConnectionError', () => {
    ts.run(({ expectObservable }) => {
      const http = new ComfyHttp({ url, requestTimeoutMs: 100, fetch: neverAnswers, scheduler: ts, retry: noRetry, logger: silent });
      expectObservable(http.queue()).toBe('100ms #', undefined, new ComfyConnectionError('GET /queue got no answer within 100 ms', url));
    });
  });

  it('a timed-out GET is retried after the backoff, and a spent budget ends in ComfyRetriesExhaustedError', () => {
    let calls = 0;
    const counting: typeof fetch = (...args) => (calls++, neverAnswers(...args));
    ts.run(({ expectObservable }) => {
      const http = new ComfyHttp({ url, requestTimeoutMs: 100, fetch: counting, scheduler: ts, retry: { initialDelayMs: 10, maxAttempts: 2, jitter: 0, budgetMs: 1_000 }, logger: silent });
      // attempts at 0, 110 (after 10 ms), 230 (after 20 ms); each times out 100 ms later
      expectObservable(http.history('p')).toBe('330ms #', undefined, new Error('GET http://comfy.invalid:8188/history/p still failing after 2 retries in 330 ms: GET /history/p got no answer within 100 ms'));
    });
    expect(calls).toBe(3);
  });

  it('a timed-out POST is not retried', () => {
    let calls = 0;
    const counting: typeof fetch = (...args) => (calls++, neverAnswers(...args));
    ts.run(({ expectObservable }) => {
      const http = new ComfyHttp({ url, requestTimeoutMs: 50, fetch: counting, scheduler: ts, retry: fastRetry, logger: silent });
      expectObservable(http.queuePrompt({ prompt: {} })).toBe('50ms #', undefined, new Error('POST /prompt got no answer within 50 ms'));
    });
    expect(calls).toBe(1);
  });
});

describe('ComfyHttp failures before any answer', () => {
  it('connection refused -> ComfyConnectionError naming the URL and ECONNREFUSED', async () => {
    const closed = await stubServer();
    await closed.close(); // the port is free now: nothing listens
    const http = new ComfyHttp({ url: `http://127.0.0.1:${closed.port}`, logger: silent, retry: noRetry });
    const error = (await firstValueFrom(http.systemStats()).catch((e: unknown) => e)) as ComfyConnectionError;
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.url).toBe(`http://127.0.0.1:${closed.port}/system_stats`);
  });

  it('view on a refused connection -> ComfyConnectionError', async () => {
    const closed = await stubServer();
    await closed.close();
    const http = new ComfyHttp({ url: `http://127.0.0.1:${closed.port}`, logger: silent, retry: noRetry });
    const error = await firstValueFrom(http.view({ filename: 'a.png', subfolder: '', type: 'output' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('DNS failure -> ComfyConnectionError with ENOTFOUND', async () => {
    const http = new ComfyHttp({ url: 'http://comfyui-rx-test.invalid:8188', logger: silent, retry: noRetry });
    const error = (await firstValueFrom(http.systemStats()).catch((e: unknown) => e)) as ComfyConnectionError;
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('connection refused, retried: ComfyRetriesExhaustedError whose cause names ECONNREFUSED', async () => {
    const closed = await stubServer();
    await closed.close();
    const http = new ComfyHttp({ url: `http://127.0.0.1:${closed.port}`, logger: silent, retry: { initialDelayMs: 1, maxAttempts: 2, jitter: 0 } });
    const error = (await firstValueFrom(http.systemStats()).catch((e: unknown) => e)) as ComfyRetriesExhaustedError;
    expect(error).toBeInstanceOf(ComfyRetriesExhaustedError);
    expect(error.retries).toBe(2);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects a URL that is not http(s) with ComfyOptionsError', () => {
    expect(() => new ComfyHttp({ url: 'ftp://x', logger: silent })).toThrow(ComfyOptionsError);
    expect(() => new ComfyHttp({ url: 'not a url', logger: silent })).toThrow(/Invalid ComfyUI URL/);
  });

  it('speaks https and wss (global fetch and ws, certificate trusted through NODE_EXTRA_CA_CERTS)', async () => {
    const dir = join(__dirname, '__fixtures__');
    const tls = { key: readFileSync(join(dir, 'localhost-key.pem')), cert: readFileSync(join(dir, 'localhost-cert.pem')) };
    const secure = await stubServer((h) => createHttpsServer(tls, (req, res) => collect(req, res, h)));
    secure.answer((_req, res) => json(res, 200, { exec_info: { queue_remaining: 2 } }));
    const wss = new WebSocketServer({ server: secure.server, path: '/ws' });
    wss.on('connection', (socket, request) => {
      const clientId = new URL(request.url ?? '/', 'https://x').searchParams.get('clientId');
      socket.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: 0 } }, sid: clientId } }));
    });
    try {
      const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(dir, 'tlsProbe.ts'), `https://127.0.0.1:${secure.port}/`], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'localhost-cert.pem') },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c));
      child.stderr.on('data', (c: Buffer) => (err += c));
      const [code] = (await once(child, 'exit')) as [number];
      expect({ code, err }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(out)).toEqual({ info: { exec_info: { queue_remaining: 2 } }, open: { kind: 'open', sid: 'tls-client' } });
      expect(secure.requests[0]).toMatchObject({ method: 'GET', url: '/prompt' });
    } finally {
      wss.close();
      await secure.close();
    }
  });
});
