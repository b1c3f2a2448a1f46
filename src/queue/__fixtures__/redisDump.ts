import type IORedis from 'ioredis';

/** Every value stored under the keys of a queue (and its delivery queue), as one text: to look for what must not be there. */
export async function dumpQueueKeys(redis: IORedis, queue: string, prefix = 'bull'): Promise<string> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:${queue}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const parts = await Promise.all(
    keys.map(async (key) => {
      switch (await redis.type(key)) {
        case 'hash':
          return JSON.stringify(await redis.hgetall(key));
        case 'string':
          return (await redis.get(key)) ?? '';
        case 'list':
          return (await redis.lrange(key, 0, -1)).join('\n');
        case 'set':
          return (await redis.smembers(key)).join('\n');
        case 'zset':
          return (await redis.zrange(key, 0, -1)).join('\n');
        case 'stream':
          return JSON.stringify(await redis.xrange(key, '-', '+'));
        default:
          return '';
      }
    }),
  );
  return `${keys.join('\n')}\n${parts.join('\n')}`;
}
