import { z } from 'zod';
import { displayUrl } from '../util/displayUrl';
import type { SameShape } from '../util/sameShape';

/**
 * Where Redis is: `{ url: 'redis://user:pass@host:6379/0' }` (`rediss:` for TLS), or ioredis-style
 * options (`host`, `port`, `password`, `db`, `tls`, ...). Handed to BullMQ as is; passwords are
 * never logged or printed (see {@link describeConnection}).
 */
export type QueueConnection =
  | { readonly url: string; readonly [option: string]: unknown }
  | { readonly host?: string; readonly port?: number; readonly [option: string]: unknown };

/** Validates {@link QueueConnection}. */
export const QueueConnectionSchema = z.union([
  z.looseObject({ url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL') }),
  z.looseObject({ host: z.string().min(1).optional(), port: z.number().int().min(0).max(65535).optional() }),
]);
true satisfies SameShape<QueueConnection, z.input<typeof QueueConnectionSchema>>;

/** The connection as it may be printed: the URL without user, password or query; host:port otherwise. */
export function describeConnection(connection: QueueConnection): string {
  if ('url' in connection && typeof connection.url === 'string') return displayUrl(connection.url);
  const host = typeof connection.host === 'string' ? connection.host : '127.0.0.1';
  const port = typeof connection.port === 'number' ? connection.port : 6379;
  return `redis://${host}:${port}`;
}


