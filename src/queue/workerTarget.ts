import { Observable, type Subscription, firstValueFrom, map, timeout } from 'rxjs';
import { ComfyClient } from '../client';
import { ComfyOptionsError } from '../errors';
import type { ViewSource } from '../outputs';
import { ComfyPool } from '../pool/comfyPool';
import type { PoolEvent } from '../pool/events';
import type { PoolClient, PoolHttp } from '../pool/poolClient';
import type { PromptEvent } from '../prompt/events';
import type { RunOptions } from '../prompt/runPrompt';

/** What a worker needs to reattach to a prompt: `ComfyClient.watch`. */
interface Watcher {
  watch(promptId: string, options?: { cancelOnUnsubscribe?: boolean }): Observable<PromptEvent>;
}

/** One ComfyUI server of a worker's target. */
export interface TargetServer {
  /** Its name in the target (a pool server's name, or the client's URL). */
  readonly name: string;
  /** Base URL without credentials. */
  readonly url: string;
  readonly http: PoolHttp & ViewSource;
  /** Follows a prompt submitted earlier (by any process); unsubscribing cancels it on the server. */
  reattach(promptId: string): Observable<PromptEvent>;
  /** One `/system_stats` (or `/api/v2/health`) without retries: true when it answers within {@link PROBE_TIMEOUT_MS}. */
  probe(): Promise<boolean>;
  /** Where a prompt stands there (a `ComfyClient`'s `promptState`: also on the Comfy API v2, which has no `/queue` or `/history`). */
  state?(promptId: string): Observable<'queued' | 'running' | 'finished' | 'unknown'>;
}

/** A health probe not answered in this long counts as down. */
export const PROBE_TIMEOUT_MS = 2_000;

const probeOf = (client: PoolClient | ComfyClient) => (): Promise<boolean> => {
  const http = client.http as PoolHttp & { withRetry?: (policy: { maxAttempts: number }) => PoolHttp };
  const once = typeof http.withRetry === 'function' ? http.withRetry({ maxAttempts: 0 }) : http;
  // a client that pings (a ComfyClient: /system_stats, or /api/v2/health on the Comfy API v2) is asked so
  const probe$: Observable<unknown> = typeof client.ping === 'function' ? client.ping() : once.systemStats();
  return firstValueFrom(probe$.pipe(timeout(PROBE_TIMEOUT_MS))).then(
    () => true,
    () => false,
  );
};

/** What `ComfyWorker.run` emits: the prompt's events, and where the target placed it. */
export type TargetEvent = { readonly type: 'placed'; readonly server: TargetServer } | { readonly type: 'prompt'; readonly event: PromptEvent };

/** A worker's `target` (a `ComfyClient` or a `ComfyPool`) behind one shape. */
export interface WorkerTarget {
  /** Prompts the target runs at once (the pool's capacity; 1 for a client). */
  readonly capacity: number;
  /** The only server, when the target is a client: it is known before anything is posted. */
  readonly fixedServer: TargetServer | undefined;
  readonly servers: readonly TargetServer[];
  /** Runs a fresh prompt with this id; `placed` comes before the prompt is posted (a pool: when it picks the server). */
  run(workflow: Record<string, unknown>, options: RunOptions & { promptId: string }): Observable<TargetEvent>;
  /** Keeps sockets and checks alive while the worker runs. */
  hold(): Subscription;
}

const reattachOn = (client: PoolClient | ComfyClient, promptId: string): Observable<PromptEvent> => {
  const watcher = client as Partial<Watcher>;
  if (typeof watcher.watch !== 'function') throw new ComfyOptionsError('The worker target cannot reattach to prompts: its client has no watch(promptId)');
  return watcher.watch(promptId, { cancelOnUnsubscribe: true });
};

function clientServer(client: PoolClient, name: string): TargetServer {
  const stateful = client as Partial<Pick<ComfyClient, 'promptState'>>;
  const state = typeof stateful.promptState === 'function' ? (promptId: string) => (stateful.promptState as ComfyClient['promptState']).call(client, promptId) : undefined;
  return { name, url: client.url, http: client.http as PoolHttp & ViewSource, reattach: (promptId) => reattachOn(client, promptId), probe: probeOf(client), ...(state ? { state } : {}) };
}

/**
 * Wraps a worker's target.
 * @throws ComfyOptionsError when `target` is neither a ComfyClient nor a ComfyPool.
 */
export function workerTarget(target: unknown): WorkerTarget {
  if (target instanceof ComfyClient) {
    const server = clientServer(target, target.url);
    return {
      capacity: 1,
      fixedServer: server,
      servers: [server],
      run: (workflow, options) => new Observable<TargetEvent>((subscriber) => {
        subscriber.next({ type: 'placed', server });
        return target.run(workflow, options).pipe(map((event): TargetEvent => ({ type: 'prompt', event }))).subscribe(subscriber);
      }),
      hold: () => target.connect(),
    };
  }
  if (target instanceof ComfyPool) {
    const servers = target.serverNames.map((name) => {
      const client = target.clientOf(name);
      if (!client) throw new ComfyOptionsError(`pool server '${name}' has no client`);
      return clientServer(client, name);
    });
    const byName = new Map(servers.map((server) => [server.name, server]));
    return {
      capacity: target.capacity,
      fixedServer: undefined,
      servers,
      run: (workflow, options) =>
        target.run(workflow, options).pipe(
          map((event: PoolEvent): TargetEvent => {
            if (event.type === 'dispatched') return { type: 'placed', server: byName.get(event.server) as TargetServer };
            const { server: _server, ...promptEvent } = event;
            return { type: 'prompt', event: promptEvent as PromptEvent };
          }),
        ),
      hold: () => target.connect(),
    };
  }
  throw new ComfyOptionsError('ComfyWorker target must be a ComfyClient or a ComfyPool');
}
