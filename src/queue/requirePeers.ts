import { ComfyMissingPeerError } from './errors';

/** The packages the queue loads that comfyui-rx does not install itself (optional peer dependencies). */
export const QUEUE_PEERS = ['bullmq'] as const;

/**
 * Throws {@link ComfyMissingPeerError}, naming every missing one, unless each of `peers` can be
 * resolved from here. The queue's entry calls it before it loads them, so importing
 * `comfyui-rx/queue` without bullmq says what to install instead of "Cannot find module".
 * @example requirePeers(QUEUE_PEERS)
 */
export function requirePeers(peers: readonly string[], resolve: (id: string) => string = require.resolve): void {
  const missing = peers.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new ComfyMissingPeerError(missing);
}
