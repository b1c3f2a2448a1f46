import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** What the baseline learns of a finished prompt: the raw `/history/{id}` entry (not validated). */
export interface PlainResult {
  readonly promptId: string;
  /** `entry.outputs` as the server sent it. */
  readonly outputs: Record<string, unknown>;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The benchmarks' baseline: the smallest correct hand-written ComfyUI client, plain `ws` + `fetch`,
 * no RxJS, no validation. One socket with a clientId, opened once; each prompt gets a client-made
 * prompt_id, its waiter is registered BEFORE the POST (events may beat the POST answer), it ends on
 * `executing {node: null, prompt_id}`, and its outputs are read from `GET /history/{id}`.
 * It does what a careful script would do, nothing more: no reconnects, stalls, or cancellation.
 */
export class PlainComfyClient {
  private readonly waiters = new Map<string, Waiter>();
  private closed: Error | undefined;

  private constructor(
    private readonly base: string,
    private readonly clientId: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) return;
      const message: unknown = JSON.parse(data.toString());
      if (!isRecord(message) || message.type !== 'executing' || !isRecord(message.data)) return;
      const { node, prompt_id: promptId } = message.data;
      if (node !== null || typeof promptId !== 'string') return;
      const waiter = this.waiters.get(promptId);
      if (!waiter) return;
      this.waiters.delete(promptId);
      waiter.resolve();
    });
    ws.on('close', () => this.failAll(new Error('socket closed')));
    ws.on('error', (error) => this.failAll(error));
  }

  /** Connects and resolves once the server's first `status` (with `sid`) has arrived. */
  static open(url: string): Promise<PlainComfyClient> {
    const base = url.replace(/\/+$/, '');
    const clientId = randomUUID();
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?clientId=${clientId}`, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
        if (isBinary) return;
        const message: unknown = JSON.parse(data.toString());
        if (!isRecord(message) || message.type !== 'status' || !isRecord(message.data) || typeof message.data.sid !== 'string') return;
        ws.off('message', onMessage);
        ws.off('error', reject);
        resolve(new PlainComfyClient(base, clientId, ws));
      };
      ws.on('message', onMessage);
      ws.once('error', reject);
    });
  }

  /** Runs one API-format workflow to its end and returns its history outputs. */
  async run(prompt: Record<string, unknown>): Promise<PlainResult> {
    if (this.closed) throw this.closed;
    const promptId = randomUUID();
    const finished = new Promise<void>((resolve, reject) => this.waiters.set(promptId, { resolve, reject }));
    finished.catch(() => undefined); // observed below; avoids an unhandled rejection if the POST fails first
    try {
      const posted = await fetch(`${this.base}/prompt`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ prompt, client_id: this.clientId, prompt_id: promptId }),
      });
      if (!posted.ok) throw new Error(`POST /prompt: HTTP ${posted.status} ${await posted.text()}`);
      await posted.arrayBuffer();
    } catch (error) {
      this.waiters.delete(promptId);
      throw error;
    }
    await finished;
    const answer = await fetch(`${this.base}/history/${promptId}`);
    if (!answer.ok) throw new Error(`GET /history: HTTP ${answer.status}`);
    const history: unknown = await answer.json();
    const entry = isRecord(history) ? history[promptId] : undefined;
    if (!isRecord(entry) || !isRecord(entry.outputs)) throw new Error(`no history for ${promptId}`);
    return { promptId, outputs: entry.outputs };
  }

  /** Closes the socket; prompts still waiting reject. */
  close(): Promise<void> {
    this.failAll(new Error('client closed'));
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }

  private failAll(error: Error): void {
    this.closed ??= error;
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
  }
}
