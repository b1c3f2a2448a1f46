import { ComfyMissingPeerError } from '../../queue/errors';
import { CliUsageError } from '../CliUsageError';

/** `comfyui-rx/queue`, loaded only by the queue commands (bullmq and ioredis are optional peers). */
export async function loadQueue(): Promise<typeof import('../../queue')> {
  try {
    return await import('../../queue');
  } catch (err) {
    if (err instanceof ComfyMissingPeerError) throw new CliUsageError(`the queue commands need ${err.packages.join(' and ')}: npm install ${err.packages.join(' ')}`, { cause: err });
    throw err;
  }
}

/** Checks a `--redis` value: redis:// or rediss:// (its credentials are never printed). */
export function redisConnection(url: string): { url: string } {
  if (!/^rediss?:\/\/[^/]/.test(url)) throw new CliUsageError('--redis must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  return { url };
}

/** A finished job for a line: its error's class and message. */
export const describeJobError = (error: { name: string; message: string }): string => `${error.name}: ${error.message}`;
