import type { SchedulerLike } from 'rxjs';
import { z } from 'zod';
import { ComfyClientOptions } from '../client';
import type { Logger } from '../log';
import type { PoolClient } from './poolClient';
import { displayUrl } from '../util/displayUrl';
import type { PoolStrategyFn } from './strategy';
import { isFunction } from '../util/isFunction';

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

const Name = z.string().min(1).max(200);
const MaxConcurrent = z.number().int().positive();

/** A server the pool connects to itself (a `ComfyClient` made from these options). */
const UrlServer = ComfyClientOptions.extend({
  /** Shown in events and logs. Default: the URL without credentials. */
  name: Name.optional(),
  /** Most prompts this pool keeps on this server at once. */
  maxConcurrent: MaxConcurrent.optional(),
}).strict();

/** A server reached through a client the caller made (a `ComfyClient`, or a compatible fake). */
const ClientServer = z
  .object({
    client: z.custom<PoolClient>(isPoolClient, 'expected a ComfyClient (url, run, queueRemaining$, http)'),
    name: Name.optional(),
    maxConcurrent: MaxConcurrent.optional(),
  })
  .strict();

/** Options of {@link ComfyPool}, validated at construction (invalid -> `ComfyOptionsError`). */
export const ComfyPoolOptions = z
  .object({
    /** The servers, as URLs (with client options) or clients; at least one. Names must be unique. */
    servers: z.array(z.union([ClientServer, UrlServer])).min(1),
    /**
     * How a server is chosen: `least-loaded` (default), `round-robin`, `in-order` (the first server
     * listed with a free slot: overflow to the servers listed after, e.g. a Comfy API v2 endpoint
     * after the local GPUs), or a function.
     */
    strategy: z.union([z.literal('least-loaded'), z.literal('round-robin'), z.literal('in-order'), z.custom<PoolStrategyFn>(isFunction, 'expected a function')]).optional(),
    /** Default of each server's `maxConcurrent` (default 2). */
    maxConcurrentPerServer: MaxConcurrent.optional(),
    /** Backoff of health probes of a failed server (`backoffDelay`): delays, probes before `dead`, jitter. */
    health: z
      .object({ initialDelayMs: z.number().nonnegative(), maxDelayMs: z.number().nonnegative(), maxAttempts: z.number().int().nonnegative(), jitter: z.number().min(0).max(1) })
      .partial()
      .strict()
      .optional(),
    /** Resubmissions of one prompt after server failures (default 3). */
    maxResubmits: z.number().int().nonnegative().optional(),
    /** Wait between checks of a prompt on a failed server. */
    recheckDelayMs: z.number().nonnegative().optional(),
    /** Defaults for the clients the pool makes from URLs (each server's own options win). */
    clientOptions: ComfyClientOptions.omit({ url: true }).optional(),
    /** A pino logger (silent when absent). */
    logger: z.custom<Logger>((value) => isFunction((value as Logger | undefined)?.child), 'expected a pino logger').optional(),
    /** Drives probes and checks (virtual time in tests); also given to the clients it makes. */
    scheduler: z
      .custom<SchedulerLike>((value) => isFunction((value as SchedulerLike | undefined)?.schedule) && isFunction((value as SchedulerLike | undefined)?.now), 'expected an RxJS scheduler')
      .optional(),
    /** Jitter source of the probe backoff (tests). */
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
export type ComfyPoolOptions = z.input<typeof ComfyPoolOptions>;
