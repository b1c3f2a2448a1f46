import { ComfyClient } from '../client';
import { ComfyConnectionError } from '../errors';
import { checkServer } from './checkServer';

describe('checkServer', () => {
  it('probes a dead server once, whatever the client retry policy: a refused connection is not retried', async () => {
    let calls = 0;
    const refused: typeof fetch = async () => {
      calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    };
    // reads of this client would be retried 3 times: the probe is not
    const client = new ComfyClient({ url: 'http://127.0.0.1:9', fetch: refused, lingerMs: 0, retry: { initialDelayMs: 0, maxAttempts: 3 } });
    try {
      const error = await checkServer(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComfyConnectionError);
      expect((error as Error).message).toMatch(/^Cannot reach ComfyUI at http:\/\/127\.0\.0\.1:9\//);
      expect(calls).toBe(1);
    } finally {
      client.close();
    }
  });
});
