import type { ServerResponse } from 'node:http';
import type { FakeV2Quirks } from './fakeV2Options';

/** Event kinds the proxy throttles (leading edge, no trailing event). */
type Throttled = 'progress' | 'preview';

/** What a stream needs from the surface. */
export interface FakeEventStreamDeps {
  readonly quirks: () => FakeV2Quirks;
  /** The job's terminal status frame if it is over now (checked at each heartbeat), else undefined. */
  readonly terminalStatus: () => Record<string, unknown> | undefined;
  /** Frees the stream's slot (once). */
  readonly release: () => void;
}

/**
 * One `GET /api/v2/jobs/{id}/events` response as comfy-api-proxy writes it: `event:`/`data:` frames,
 * `progress` and `preview` throttled to one per `throttleMs` each, a heartbeat every
 * `heartbeatMs` (a comment, or the terminal status the stream missed), and the end after the
 * terminal status. A client that left is noticed only at the next write or heartbeat: until then
 * its slot stays taken.
 */
export class FakeEventStream {
  private gone = false;
  private ended = false;
  private released = false;
  private readonly lastSent: Record<Throttled, number> = { progress: Number.NEGATIVE_INFINITY, preview: Number.NEGATIVE_INFINITY };
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly deps: FakeEventStreamDeps,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.on('close', () => {
      this.gone = true;
    });
    this.heartbeat = setInterval(() => this.beat(), deps.quirks().heartbeatMs);
    this.heartbeat.unref();
  }

  /** Still writing (not ended, not released). */
  get live(): boolean {
    return !this.ended && !this.released;
  }

  /** Writes one event (a client that left is noticed here: the slot is freed). */
  send(event: string, data: unknown): void {
    if (!this.live) return;
    if (this.gone) {
      this.free();
      return;
    }
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Writes a `progress` or `preview` event unless one of its kind went out less than `throttleMs` ago. */
  throttled(event: Throttled, data: unknown): void {
    const now = Date.now();
    if (now - this.lastSent[event] < this.deps.quirks().throttleMs) return;
    this.lastSent[event] = now;
    this.send(event, data);
  }

  /** Sends the terminal status and ends the response. */
  finish(status: Record<string, unknown>): void {
    if (!this.live) return;
    this.send('status', status);
    this.end();
  }

  /** Ends the response (server stop, or after the terminal status). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.gone) this.res.end();
    this.free();
  }

  private beat(): void {
    if (!this.live) return;
    if (this.gone) {
      this.free();
      return;
    }
    const terminal = this.deps.terminalStatus();
    if (terminal) this.finish(terminal);
    else this.res.write(': heartbeat\n\n');
  }

  private free(): void {
    clearInterval(this.heartbeat);
    if (this.released) return;
    this.released = true;
    this.deps.release();
  }
}
