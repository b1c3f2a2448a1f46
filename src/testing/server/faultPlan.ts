import type { QueueItem } from '../../protocol';
import type { Reply } from '../http/reply';

/**
 * A route as fault knobs name it: `'GET /history/*'`, `'POST /prompt'`, `'/queue'` (any method).
 * The path is matched with and without the `/api` prefix; a trailing `*` matches any rest.
 */
export type FaultRoute = string;

interface Fault {
  readonly kind: 'fail' | 'late' | 'drop';
  readonly matches: (method: string, path: string) => boolean;
  /** Requests still to hit (`Infinity`: until undone). */
  remaining: number;
  readonly reply?: Reply;
  readonly ms?: number;
}

/** What happens to one request. */
export interface FaultVerdict {
  /** Answer this instead of running the route. */
  readonly failWith?: Reply;
  /** Run the route, then close the connection without an answer. */
  readonly drop: boolean;
  /** Answer this much later. */
  readonly lateMs: number;
}

const NONE: FaultVerdict = { drop: false, lateMs: 0 };

function matcher(route: FaultRoute): (method: string, path: string) => boolean {
  const text = route.trim();
  const space = text.indexOf(' ');
  const method = space > 0 ? text.slice(0, space).toUpperCase() : undefined;
  const pattern = space > 0 ? text.slice(space + 1).trim() : text;
  if (!pattern.startsWith('/')) throw new RangeError(`Invalid fault route ${JSON.stringify(route)} (expected 'METHOD /path', '/path' or '/prefix/*')`);
  const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
  const pathMatches = (path: string) => (prefix === undefined ? path === pattern : path.startsWith(prefix));
  return (requestMethod, path) => {
    if (method && method !== requestMethod) return false;
    return pathMatches(path) || (path.startsWith('/api/') && pathMatches(path.slice(4)));
  };
}

/** The fake's fault knobs (see `FakeComfyServer.failNext`, `answerLate`, `dropNextResponse`, `serveForeignPrompt`). */
export class FaultPlan {
  private readonly faults: Fault[] = [];
  private readonly foreign: QueueItem[] = [];

  add(kind: Fault['kind'], route: FaultRoute, count: number, extra: { reply?: Reply; ms?: number } = {}): () => void {
    if (!(count > 0)) throw new RangeError(`count must be > 0 (got ${count})`);
    const fault: Fault = { kind, matches: matcher(route), remaining: count, ...extra };
    this.faults.push(fault);
    return () => {
      const index = this.faults.indexOf(fault);
      if (index >= 0) this.faults.splice(index, 1);
    };
  }

  /** Decides the request's fate (and uses up counted faults). `path` is the raw path, `/api` included. */
  verdict(method: string, path: string): FaultVerdict {
    if (this.faults.length === 0) return NONE;
    let failWith: Reply | undefined;
    let drop = false;
    let lateMs = 0;
    for (const fault of [...this.faults]) {
      if (!fault.matches(method, path)) continue;
      if (fault.kind === 'fail') {
        if (failWith) continue;
        failWith = fault.reply;
      } else if (fault.kind === 'drop') {
        if (drop) continue;
        drop = true;
      } else {
        lateMs = Math.max(lateMs, fault.ms ?? 0);
      }
      if (--fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    }
    return { failWith, drop, lateMs };
  }

  /** A pending item of another client shown by `GET /queue` until undone (never run). */
  addForeign(item: QueueItem): () => void {
    this.foreign.push(item);
    return () => {
      const index = this.foreign.indexOf(item);
      if (index >= 0) this.foreign.splice(index, 1);
    };
  }

  get foreignPending(): readonly QueueItem[] {
    return this.foreign;
  }
}
