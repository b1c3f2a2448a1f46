import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import { type ComfyClientOptions, ComfyClientOptionsSchema } from '../client';
import type { BackoffPolicy } from '../operators/reconnectWithBackoff';
import type { Logger } from '../log';
import type { PoolClient } from './poolClient';
import { displayUrl } from '../util/displayUrl';
import type { PoolStrategyFn } from './strategy';
import { isFunction } from '../util/isFunction';
import type { SameShape } from '../util/sameShape';

const isPoolClient = (value: unknown): boolean => {
  const client = value as Partial<PoolClient> | undefined;
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof client.url === 'string' &&
    isFunction(client.run) &&
    isFunction(client.queueRemaining$?.subscribe) &&
    isFunction(client.http?.objectInfo) &&
    isFunction(client.http?.systemStats)
  );
};

/** A server the pool connects to itself: a `ComfyClient` made from these options. */
export interface PoolUrlServer extends ComfyClientOptions {
  /** Shown in events and logs. Default: the URL without credentials. */
  readonly name?: string;
  /** Most prompts this pool keeps on this server at once. */
  readonly maxConcurrent?: number;
}

/** A server reached through a client the caller made (a `ComfyClient`, or a compatible fake). */
export interface PoolClientServer {
  readonly client: PoolClient;
  /** Shown in events and logs. Default: the client's URL. */
  readonly name?: string;
  /** Most prompts this pool keeps on this server at once. */
  readonly maxConcurrent?: number;
}

/** Options of {@link ComfyPool}, checked at construction (invalid ones throw `ComfyOptionsError`, naming the option). */
export interface ComfyPoolOptions {
  /** The servers, as URLs (with client options) or clients; at least one. Names must be unique. */
  readonly servers: ReadonlyArray<PoolClientServer | PoolUrlServer>;
  /**
   * How a server is chosen: `least-loaded` (default), `round-robin`, `in-order` (the first server
   * listed with a free slot: overflow to the servers listed after, e.g. a Comfy API v2 endpoint
   * after the local GPUs), or a function.
   */
  readonly strategy?: 'least-loaded' | 'round-robin' | 'in-order' | PoolStrategyFn;
  /** Default of each server's `maxConcurrent` (default 2). */
  readonly maxConcurrentPerServer?: number;
  /** Backoff of health probes of a failed server (`backoffDelay`): delays, probes before `dead`, jitter. */
  readonly health?: Partial<BackoffPolicy>;
  /** Resubmissions of one prompt after server failures (default 3). */
  readonly maxResubmits?: number;
  /** Wait between checks of a prompt on a failed server, ms. */
  readonly recheckDelayMs?: number;
  /** Defaults for the clients the pool makes from URLs (each server's own options win). */
  readonly clientOptions?: Omit<ComfyClientOptions, 'url'>;
  /** A pino logger (silent when absent). */
  readonly logger?: Logger;
  /** Drives probes and checks (virtual time in tests); also given to the clients it makes. */
  readonly scheduler?: SchedulerLike;
  /** Jitter source of the probe backoff (tests). */
  readonly random?: () => number;
}

const Name = z.string().min(1).max(200);
const MaxConcurrent = z.number().int().positive();

const UrlServer = ComfyClientOptionsSchema.extend({
  name: Name.optional(),
  maxConcurrent: MaxConcurrent.optional(),
}).strict();

const ClientServer = z
  .object({
    client: z.custom<PoolClient>(isPoolClient, 'expected a ComfyClient (url, run, queueRemaining$, http)'),
    name: Name.optional(),
    maxConcurrent: MaxConcurrent.optional(),
  })
  .strict();

/** Validates {@link ComfyPoolOptions}. */
export const ComfyPoolOptionsSchema = z
  .object({
    servers: z.array(z.union([ClientServer, UrlServer])).min(1),
    strategy: z.union([z.literal('least-loaded'), z.literal('round-robin'), z.literal('in-order'), z.custom<PoolStrategyFn>(isFunction, 'expected a function')]).optional(),
    maxConcurrentPerServer: MaxConcurrent.optional(),
    health: z
      .object({ initialDelayMs: z.number().nonnegative(), maxDelayMs: z.number().nonnegative(), maxAttempts: z.number().int().nonnegative(), jitter: z.number().min(0).max(1) })
      .partial()
      .strict()
      .optional(),
    maxResubmits: z.number().int().nonnegative().optional(),
    recheckDelayMs: z.number().nonnegative().optional(),
    clientOptions: ComfyClientOptionsSchema.omit({ url: true }).optional(),
    logger: z.custom<Logger>((value) => isFunction((value as Logger | undefined)?.child), 'expected a pino logger').optional(),
    scheduler: z
      .custom<SchedulerLike>((value) => isFunction((value as SchedulerLike | undefined)?.schedule) && isFunction((value as SchedulerLike | undefined)?.now), 'expected an RxJS scheduler')
      .optional(),
    random: z.custom<() => number>(isFunction, 'expected a function').optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    const seen = new Map<string, number>();
    options.servers.forEach((server, index) => {
      const name = server.name ?? ('client' in server ? server.client.url : displayUrl(server.url));
      const first = seen.get(name);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['servers', index, 'name'], message: `duplicate server name '${name}' (also servers[${first}]): give each a distinct name` });
      } else seen.set(name, index);
    });
  });
true satisfies SameShape<ComfyPoolOptions, z.input<typeof ComfyPoolOptionsSchema>>;
