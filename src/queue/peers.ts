/**
 * Imported first by `comfyui-rx/queue` (a module with only this effect, so it runs before the
 * modules that load bullmq): fails with `ComfyMissingPeerError` when a peer is not installed.
 */
import { QUEUE_PEERS, requirePeers } from './requirePeers';

requirePeers(QUEUE_PEERS);
