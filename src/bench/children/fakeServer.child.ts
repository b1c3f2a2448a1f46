/**
 * A FakeComfyServer in a process of its own (the attribution benchmark measures the client's CPU
 * apart from the server's). argv[2]: FakeComfyServer options as JSON. Sends `ready` with its URL
 * once listening; answers `usage` with its CPU time and HTTP count; `stop` ends it.
 */
import { FakeComfyServer } from '../../testing';

/** Messages the parent sends. */
export type FakeChildCommand = { readonly cmd: 'usage' } | { readonly cmd: 'stop' };
/** Messages this child sends. */
export type FakeChildReply =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'usage'; readonly cpuMicros: number; readonly httpRequests: number };

async function main(): Promise<void> {
  const fake = await FakeComfyServer.start(JSON.parse(process.argv[2] ?? '{}'));
  const send = (reply: FakeChildReply) => process.send?.(reply);
  process.on('message', (command: FakeChildCommand) => {
    if (command.cmd === 'usage') {
      const cpu = process.cpuUsage();
      send({ kind: 'usage', cpuMicros: cpu.user + cpu.system, httpRequests: fake.stats.httpRequests });
    } else {
      void fake.stop().then(() => process.disconnect());
    }
  });
  send({ kind: 'ready', url: fake.url });
}

void main();
