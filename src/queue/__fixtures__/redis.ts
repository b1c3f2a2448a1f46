import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';

/** The Redis the queue suites use: `REDIS_URL`, else the local default. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOW_TO_GET_ONE =
  'The queue tests need a real Redis. Start one: `apt-get install -y redis-server && redis-server --port 6379 --daemonize yes` ' +
  '(or `docker run -p 6379:6379 redis:7`), or point REDIS_URL at yours. .ci/run starts redis-server itself when the binary exists.';

/** Resolves when Redis answers PING; rejects with how to get one (the suites fail, they are never skipped). */
export async function requireRedis(): Promise<void> {
  const client = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected PING answer ${pong}`);
  } catch (err) {
    throw new Error(`Redis does not answer at ${REDIS_URL.replace(/\/\/[^@/]*@/, '//')}: ${(err as Error).message}. ${HOW_TO_GET_ONE}`);
  } finally {
    client.disconnect();
  }
}

/** A queue name no other test (or run) uses. */
export const uniqueQueueName = (topic: string): string => `comfyrx-test-${topic}-${randomUUID().slice(0, 8)}`;

/** A raw Redis client for setup steps (ACL users, inspection). */
export const redisClient = (): IORedis => new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
