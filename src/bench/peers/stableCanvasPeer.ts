import { Client } from '@stable-canvas/comfyui-client';
import WebSocket from 'ws';
import type { PeerDefinition } from './peerClient';

/** Its timer fires this long after the bench gave up on the prompt. */
const PAST_THE_BOUND_MS = 500;

/**
 * @stable-canvas/comfyui-client as its Node example uses it: `new Client({ api_host, WebSocket,
 * fetch })`, `connect()`, then `enqueue(prompt)`, which POSTs, waits on the socket for the prompt's
 * end and takes the outputs (as `/view` URLs). Random seeds are off: the workload has none. Its own
 * wait timer (5 min by default, and it keeps the process alive) is set just past the bench's bound.
 */
export const STABLE_CANVAS: PeerDefinition = {
  name: '@stable-canvas/comfyui-client enqueue',
  async open(url, promptTimeoutMs) {
    const client = new Client({ api_host: new URL(url).host, WebSocket, fetch });
    await client.connect({ websocket: { enabled: true } });
    return {
      async run(workflow) {
        const output = await client.enqueue(workflow, { disable_random_seed: true, timeout_ms: promptTimeoutMs + PAST_THE_BOUND_MS });
        return { promptId: output.prompt_id, outputs: output.images.length };
      },
      async close() {
        client.close();
      },
    };
  },
};
